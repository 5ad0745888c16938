package dev.leap.connectors.bluebubbles;

import static dev.leap.connectors.bluebubbles.BlueBubblesTestServers.WEBHOOK_SECRET;
import static dev.leap.connectors.bluebubbles.BlueBubblesTestServers.blueBubbles;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.agent.Agent;
import dev.leap.agent.owners.Pairing;
import dev.leap.connectors.ScriptedModelServer;
import dev.leap.connectors.bluebubbles.LoopbackBlueBubbles.Send;
import dev.leap.store.EventLog;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BlueBubbles without a configured owner: whoever sends the code Leap printed at start becomes the owner. */
@QuarkusTest
@QuarkusTestResource(value = BlueBubblesTestServers.class, restrictToAnnotatedClass = true)
class BlueBubblesPairingTest {

    static final String ME = "me@example.com";
    static final String MY_CHAT = "iMessage;-;" + ME;
    static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventLog log;

    @Inject
    Agent agent;

    @Inject
    List<Pairing> pairings;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void sending_the_pairing_code_makes_the_sender_the_owner_who_is_told_so_and_answered_from_then_on() throws Exception {
        String code = pairings.stream().filter(p -> p.channel().equals("bluebubbles")).findFirst().orElseThrow().code();
        long from = log.lastPosition().orElse(-1) + 1;

        String before = message(webhook(Webhooks.newMessage("msg-hello", ME, "hello")));
        String pairing = message(webhook(Webhooks.newMessage("msg-pair", ME, "/pair " + code)));
        Send confirmation = blueBubbles().awaitSends(1, WAIT).getFirst();
        ScriptedModelServer.model().thenSay("Hello, owner.");
        String after = message(webhook(Webhooks.newMessage("msg-after", ME, "hello again")));
        Send reply = blueBubbles().awaitSends(2, WAIT).getLast();
        agent.awaitIdle(WAIT);

        assertThat(List.of(before, pairing, after)).containsExactly("refused", "paired", "received");
        assertThat(confirmation.chatGuid()).isEqualTo(MY_CHAT);
        assertThat(confirmation.message()).isEqualTo(BlueBubblesWebhook.PAIRED);
        assertThat(confirmation.tempGuid()).isEqualTo("leap-pairing-msg-pair");
        assertThat(reply.chatGuid()).isEqualTo(MY_CHAT);
        assertThat(reply.message()).startsWith("Hello, owner.");
        List<RecordedEvent> events = log.readAll(from, 1_000);
        assertThat(events).extracting(RecordedEvent::type)
                .containsExactly("SenderRefused", "OwnerPaired", "MessageReceived", "TurnStarted", "TurnCompleted", "ReplySent");
        JsonNode paired = Json.parse(events.get(1).data());
        assertThat(paired.get("channel").asText()).isEqualTo("bluebubbles");
        assertThat(paired.get("sender").asText()).isEqualTo(ME);
        assertThat(events.toString()).doesNotContain(code);
    }

    private HttpResponse<String> webhook(JsonNode event) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(BlueBubblesWebhook.PATH + "?secret=" + WEBHOOK_SECRET))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(event.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String message(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.parse(response.body()).get("message").asText();
    }
}
