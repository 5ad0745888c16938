package dev.leap.connectors.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leap.connectors.service.DataDirectory;
import dev.leap.connectors.service.Tokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The terminal channel: talks to a running Leap over the same HTTP API as every other client, with
 * the owner's token from the data directory. With words on the command line it sends them as one
 * message; otherwise it reads one message per line until end of input or {@code /quit}.
 */
public final class ChatClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String chatId = "terminal";

    ChatClient(URI base, String token) {
        this.endpoint = base.resolve("/api/messages");
        this.token = token;
    }

    /** Runs the chat; returns the process exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path dataDir = DataDirectory.of(env);
        URI base = URI.create(env.getOrDefault("LEAP_URL", "http://127.0.0.1:" + env.getOrDefault("QUARKUS_HTTP_PORT", "5327")));
        String token = env.get("LEAP_HTTP_OWNER_TOKEN");
        if (token == null || token.isBlank()) {
            Path file = dataDir.resolve(Tokens.OWNER_FILE);
            try {
                token = Files.readString(file).strip();
            } catch (IOException e) {
                err.println("No owner token: " + file + " is missing. Start Leap once (./leap) to create it, "
                        + "or set LEAP_HTTP_OWNER_TOKEN.");
                return 2;
            }
        }
        ChatClient chat = new ChatClient(base, token);
        try {
            if (args.length > 0) {
                return chat.send(String.join(" ", args), out, err) ? 0 : 1;
            }
            return chat.repl(out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private int repl(PrintStream out, PrintStream err) throws InterruptedException {
        out.println("Leap at " + endpoint.resolve("/") + " — type a message, or /quit to leave.");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            out.print("you> ");
            out.flush();
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                err.println("cannot read the terminal: " + e.getMessage());
                return 1;
            }
            if (line == null || line.strip().equals("/quit")) {
                return 0;
            }
            if (!line.isBlank()) {
                send(line, out, err);
            }
        }
    }

    /** Sends one message and prints the reply; false if it could not be delivered or was refused. */
    boolean send(String text, PrintStream out, PrintStream err) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode()
                .put("text", text)
                .put("channel", "cli")
                .put("chatId", chatId)
                .put("messageId", UUID.randomUUID().toString());
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            err.println("Leap is not running at " + endpoint.resolve("/") + ". Start it with ./leap");
            return false;
        } catch (IOException e) {
            err.println("could not reach Leap: " + e.getMessage());
            return false;
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() != 200) {
            err.println("Leap refused the message (" + response.statusCode() + "): " + answer.path("error").asText(response.body()));
            return false;
        }
        // Indent the reply's lines under its first, leaving blank lines blank.
        out.println("leap> " + answer.path("reply").asText().replaceAll("\n(?=.)", "\n      "));
        return true;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("error", body);
        }
    }
}
