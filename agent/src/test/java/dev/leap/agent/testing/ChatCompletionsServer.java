package dev.leap.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A server on loopback that speaks OpenAI's chat-completions wire format and answers from a script,
 * so that the real OpenAI-compatible client of LangChain4j runs against it. It stands in for a
 * real model server (Ollama, llama.cpp, vLLM, a hosted API), which cannot run in a test.
 */
public final class ChatCompletionsServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Deque<ObjectNode> script = new ArrayDeque<>();
    private final List<JsonNode> requests = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private int responses;
    private CountDownLatch held;

    public ChatCompletionsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
    }

    /** The base URL a client is configured with, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The next answer calls a tool. */
    public synchronized ChatCompletionsServer thenCall(String callId, String tool, String arguments) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").putNull("content");
        message.putArray("tool_calls").addObject()
                .put("id", callId)
                .put("type", "function")
                .putObject("function").put("name", tool).put("arguments", arguments);
        script.add(choice(message, "tool_calls"));
        return this;
    }

    /** The next answer is text. */
    public synchronized ChatCompletionsServer thenSay(String text) {
        script.add(choice(JSON.createObjectNode().put("role", "assistant").put("content", text), "stop"));
        return this;
    }

    /** Answers nothing from now until {@link #release()}: shows what Leap does while the model is thinking. */
    public synchronized ChatCompletionsServer hold() {
        held = new CountDownLatch(1);
        return this;
    }

    /** Answers the requests held since {@link #hold()}, and those that come after at once. */
    public synchronized void release() {
        if (held != null) {
            held.countDown();
            held = null;
        }
    }

    /** Every request body received, in order. */
    public synchronized List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** The Authorization header of every request, in order. */
    public synchronized List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void complete(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, error("only POST is supported"));
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            CountDownLatch hold;
            synchronized (this) {
                requests.add(request);
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                hold = held;
            }
            if (hold != null && !released(hold)) {
                send(exchange, 503, error("the test held this request for a minute and never released it"));
                return;
            }
            ObjectNode answer;
            synchronized (this) {
                answer = script.pollFirst();
                responses++;
            }
            if (answer == null) {
                send(exchange, 500, error("the script has no answer left for request " + requests.size()));
                return;
            }
            ObjectNode body = JSON.createObjectNode()
                    .put("id", "chatcmpl-" + responses)
                    .put("object", "chat.completion")
                    .put("created", 1_700_000_000L + responses)
                    .put("model", request.path("model").asText("scripted"));
            body.putArray("choices").add(answer);
            body.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
            send(exchange, 200, body);
        }
    }

    private static boolean released(CountDownLatch hold) {
        try {
            return hold.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ObjectNode choice(ObjectNode message, String finishReason) {
        ObjectNode choice = JSON.createObjectNode().put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finishReason);
        return choice;
    }

    private static ObjectNode error(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "invalid_request_error");
        return body;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The tool messages of a request, as the client sent them. */
    public static List<JsonNode> toolMessages(JsonNode request) {
        List<JsonNode> tools = new ArrayList<>();
        for (JsonNode message : request.path("messages")) {
            if ("tool".equals(message.path("role").asText())) {
                tools.add(message);
            }
        }
        return tools;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
