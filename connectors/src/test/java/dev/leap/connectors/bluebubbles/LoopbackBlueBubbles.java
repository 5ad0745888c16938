package dev.leap.connectors.bluebubbles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for the BlueBubbles server on the owner's Mac: answers {@code POST /api/v1/message/text}
 * the way BlueBubbles does ({@code {status, message, data}} with the sent message, or an error with
 * {@code error: {type, message}}) and remembers every send. Also answers the Private API's typing
 * indicator, {@code POST} and {@code DELETE /api/v1/chat/{guid}/typing}, or refuses it as BlueBubbles
 * does when the Private API is off.
 */
final class LoopbackBlueBubbles implements AutoCloseable {

    static final String PASSWORD = "bluebubbles-password-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Send> sends = new ArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();

    /** One call of the send endpoint: its JSON body and the password it presented. */
    record Send(JsonNode body, String password) {
        String chatGuid() {
            return body.path("chatGuid").asText();
        }

        String message() {
            return body.path("message").asText();
        }

        String tempGuid() {
            return body.path("tempGuid").asText();
        }
    }

    private record Answer(int status, ObjectNode body) {
    }

    private final Map<String, byte[]> attachments = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> typing = new ArrayList<>();
    private volatile boolean privateApi = true;

    LoopbackBlueBubbles() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/message/text", this::sendText);
        server.createContext("/api/v1/attachment/", this::download);
        server.createContext("/api/v1/chat/", this::typing);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next send is answered with a BlueBubbles error instead of being sent. */
    synchronized LoopbackBlueBubbles thenFail(int status, String type, String error) {
        ObjectNode body = JSON.createObjectNode().put("status", status).put("message", "You've made a bad request!");
        body.putObject("error").put("type", type).put("message", error);
        answers.add(new Answer(status, body));
        return this;
    }

    /** An attachment the Mac holds, as BlueBubbles serves it at /api/v1/attachment/{guid}/download. */
    void offer(String attachmentGuid, byte[] content) {
        attachments.put(attachmentGuid, content);
    }

    /** Turns the Private API off (or on): typing indicators are then refused. */
    LoopbackBlueBubbles privateApi(boolean on) {
        privateApi = on;
        return this;
    }

    /** Every typing call, shown or refused, as "POST chatGuid" or "DELETE chatGuid". */
    synchronized List<String> typing() {
        return List.copyOf(typing);
    }

    synchronized List<Send> sends() {
        return List.copyOf(sends);
    }

    /** Waits until there have been {@code count} sends in all, or fails at the deadline. */
    synchronized List<Send> awaitSends(int count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (sends.size() < count) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " sends to BlueBubbles within " + timeout + ", got " + sends);
            }
            wait(left);
        }
        return List.copyOf(sends);
    }

    private void sendText(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            Answer answer;
            synchronized (this) {
                sends.add(new Send(body, query(exchange).get("password")));
                notifyAll();
                answer = answers.pollFirst();
            }
            if (answer == null) {
                answer = new Answer(200, sent(body));
            }
            byte[] bytes = JSON.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void download(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().split("/");
            byte[] content = path.length == 6 && path[5].equals("download") && PASSWORD.equals(query(exchange).get("password"))
                    ? attachments.get(URLDecoder.decode(path[4], StandardCharsets.UTF_8))
                    : null;
            exchange.sendResponseHeaders(content == null ? 404 : 200, content == null ? -1 : content.length);
            if (content != null) {
                exchange.getResponseBody().write(content);
            }
        }
    }

    private void typing(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getRawPath().split("/");
            String method = exchange.getRequestMethod();
            if (path.length != 6 || !path[5].equals("typing") || !(method.equals("POST") || method.equals("DELETE"))) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (query(exchange).get("password") == null) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            synchronized (this) {
                typing.add(method + " " + URLDecoder.decode(path[4], StandardCharsets.UTF_8));
            }
            ObjectNode answer = JSON.createObjectNode();
            if (privateApi) {
                answer.put("status", 200).put("message", method.equals("POST") ? "Successfully started typing!"
                        : "Successfully stopped typing!");
            } else {
                answer.put("status", 500).put("message", "iMessage Private API is not enabled!");
                answer.putObject("error").put("type", "Server Error").put("message", "iMessage Private API is not enabled!");
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.path("status").asInt(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** What BlueBubbles answers once Messages has sent the text: the message as it is now stored. */
    private static ObjectNode sent(JsonNode request) {
        ObjectNode answer = JSON.createObjectNode().put("status", 200).put("message", "Message sent!");
        ObjectNode data = answer.putObject("data")
                .put("guid", UUID.randomUUID().toString().toUpperCase())
                .put("text", request.path("message").asText())
                .put("isFromMe", true)
                .put("dateCreated", System.currentTimeMillis())
                .put("error", 0)
                .put("tempGuid", request.path("tempGuid").asText());
        data.putNull("handle");
        data.putArray("attachments");
        return answer;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> parameters = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] parts = pair.split("=", 2);
                parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length == 2 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return parameters;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
