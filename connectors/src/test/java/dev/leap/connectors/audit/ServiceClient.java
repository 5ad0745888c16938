package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leap.connectors.ScriptedModelServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The service under test as its clients see it: the owner sending messages, the auditor reading. */
final class ServiceClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    ServiceClient(URI base) {
        this.base = base;
    }

    /** The owner says something; returns the id of the turn that answered. */
    String send(String text) {
        HttpResponse<String> response = request("POST", "/api/messages", ScriptedModelServer.OWNER_TOKEN,
                JSON.createObjectNode().put("text", text).put("messageId", UUID.randomUUID().toString()).toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body()).get("turnId").asText();
    }

    /** What the auditor gets for a GET; fails the test unless it is a 200. */
    JsonNode audit(String path) {
        HttpResponse<String> response = request("GET", path, ScriptedModelServer.AUDITOR_TOKEN, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json(response.body());
    }

    HttpResponse<String> request(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The position of the log's newest event, or -1 when it has none. */
    long head() {
        JsonNode newest = audit("/api/log?direction=backwards&limit=1").get("events");
        return newest.isEmpty() ? -1 : newest.get(0).get("position").asLong();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
