package dev.leap.connectors.bluebubbles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leap.connectors.service.LeapConfig;
import dev.leap.tools.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The BlueBubbles server on the owner's Mac, as Leap calls it. Speaks BlueBubbles' REST API v1:
 * answers are {@code {status, message, data}}, errors add {@code error: {type, message}}. The
 * password travels as the {@code password} query parameter, the only way BlueBubbles accepts it,
 * so the URLs of these requests must never be logged or put into an error.
 */
final class BlueBubblesServer {

    private static final Logger LOG = Logger.getLogger(BlueBubblesServer.class);
    /** BlueBubbles answers a send only once Messages has sent it, which can take a while. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    static final String SEND_TEXT = "/api/v1/message/text";
    /** A typing indicator is a nicety: it must never hold up the turn it accompanies. */
    static final Duration TYPING_TIMEOUT = Duration.ofSeconds(5);

    private final URI url;
    private final String password;
    private final HttpClient http;

    BlueBubblesServer(URI url, String password) {
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("set leap.bluebubbles.password (LEAP_BLUEBUBBLES_PASSWORD) to the BlueBubbles server's password");
        }
        this.url = url;
        this.password = password;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The server the configuration names, or none if BlueBubbles is not configured. */
    static Optional<BlueBubblesServer> configured(LeapConfig.BlueBubbles config) {
        return config.url().map(url -> new BlueBubblesServer(url, config.password().orElse(null)));
    }

    /**
     * Sends {@code text} to a chat. It goes through AppleScript, which every BlueBubbles setup
     * supports (its Private API needs System Integrity Protection turned off) and which requires
     * the {@code tempGuid} that lets BlueBubbles recognise a send it is already working on.
     *
     * @throws BlueBubblesException if BlueBubbles cannot be reached or did not send the text
     */
    void sendText(String chatGuid, String text, String tempGuid) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("chatGuid", chatGuid)
                .put("tempGuid", tempGuid)
                .put("message", text)
                .put("method", "apple-script");
        HttpResponse<String> response = call("POST", SEND_TEXT, body, SEND_TIMEOUT);
        if (response.statusCode() == 200) {
            return;
        }
        String problem = problem(response.body());
        if (response.statusCode() == 400 && problem.contains("already queued")) {
            // An earlier attempt of this very reply is still being sent (it outlasted our timeout):
            // BlueBubbles will finish it, and sending it again would show it twice.
            LOG.infof("BlueBubbles is already sending %s", tempGuid);
            return;
        }
        if (response.statusCode() == 401) {
            throw new BlueBubblesException(401, "BlueBubbles refused the password in leap.bluebubbles.password");
        }
        throw new BlueBubblesException(response.statusCode(),
                "BlueBubbles did not send the message (" + response.statusCode() + "): " + problem);
    }

    /**
     * Shows "typing…" in a chat until {@link #stopTyping} or the next message. BlueBubbles does this
     * only through its Private API; without it the server answers 500, "iMessage Private API is not
     * enabled!".
     *
     * @return whether BlueBubbles showed it
     * @throws BlueBubblesException if BlueBubbles cannot be reached
     */
    boolean startTyping(String chatGuid) {
        return typing("POST", chatGuid);
    }

    /** Clears the typing indicator {@link #startTyping} showed. */
    boolean stopTyping(String chatGuid) {
        return typing("DELETE", chatGuid);
    }

    private boolean typing(String method, String chatGuid) {
        HttpResponse<String> response = call(method,
                "/api/v1/chat/" + URLEncoder.encode(chatGuid, StandardCharsets.UTF_8) + "/typing", null, TYPING_TIMEOUT);
        if (response.statusCode() != 200) {
            LOG.debugf("BlueBubbles did not change the typing indicator (%d): %s", response.statusCode(),
                    problem(response.body()));
        }
        return response.statusCode() == 200;
    }

    /**
     * The content of an attachment, at most {@code maxBytes} (one byte more tells the caller it is
     * too large).
     *
     * @throws BlueBubblesException if BlueBubbles cannot be reached or does not have it
     */
    byte[] download(String attachmentGuid, int maxBytes) {
        URI endpoint = URI.create(url.toString().replaceAll("/+$", "") + "/api/v1/attachment/"
                + URLEncoder.encode(attachmentGuid, StandardCharsets.UTF_8) + "/download?password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8));
        try {
            HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(endpoint).timeout(SEND_TIMEOUT)
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream content = response.body()) {
                if (response.statusCode() != 200) {
                    throw new BlueBubblesException(response.statusCode(), "BlueBubbles did not hand over the attachment ("
                            + response.statusCode() + ")");
                }
                return content.readNBytes(maxBytes + 1);
            }
        } catch (IOException e) {
            throw new BlueBubblesException("BlueBubbles at " + url + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlueBubblesException("interrupted while fetching from BlueBubbles", e);
        }
    }

    /** @param body the JSON body, or null for none */
    private HttpResponse<String> call(String method, String path, JsonNode body, Duration timeout) {
        URI endpoint = URI.create(url.toString().replaceAll("/+$", "") + path + "?password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8));
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(timeout);
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        HttpRequest request = builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BlueBubblesException("BlueBubbles at " + url + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlueBubblesException("interrupted while sending through BlueBubbles", e);
        }
    }

    /** BlueBubbles' explanation of an error: {@code error.message}, else {@code message}, else the body. */
    private static String problem(String body) {
        try {
            JsonNode answer = Json.MAPPER.readTree(body);
            String detail = answer.path("error").path("message").asText("");
            return detail.isBlank() ? answer.path("message").asText(body) : detail;
        } catch (IOException | RuntimeException notJson) {
            return body;
        }
    }
}
