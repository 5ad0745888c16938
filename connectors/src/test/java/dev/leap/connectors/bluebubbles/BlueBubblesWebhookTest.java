package dev.leap.connectors.bluebubbles;

import static dev.leap.connectors.bluebubbles.BlueBubblesTestServers.WEBHOOK_SECRET;
import static dev.leap.connectors.bluebubbles.BlueBubblesTestServers.blueBubbles;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leap.agent.Agent;
import dev.leap.agent.inbox.MessageReceived;
import dev.leap.agent.testing.ChatCompletionsServer;
import dev.leap.agent.turn.TurnRunner;
import dev.leap.connectors.ScriptedModelServer;
import dev.leap.connectors.bluebubbles.LoopbackBlueBubbles.Send;
import dev.leap.store.EventLog;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** iMessage through BlueBubbles: from the webhook to the events it causes and the reply sent back. */
@QuarkusTest
@QuarkusTestResource(value = BlueBubblesTestServers.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "owners", value = BlueBubblesWebhookTest.OWNER + "," + BlueBubblesWebhookTest.OWNER_IMESSAGE_CHAT))
class BlueBubblesWebhookTest {

    /** The owner, named in the allowlist by handle. */
    static final String OWNER = "+15550001111";
    /** The owner's second number, named by the chat guid: iMessage from it is the owner, SMS is not. */
    static final String OWNER_IMESSAGE_CHAT = "iMessage;-;+15550002222";
    static final Duration WAIT = Duration.ofSeconds(30);
    /** BlueBubbles does not retry a webhook, and waits for its answer: it must come at once. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventLog log;

    @Inject
    Agent agent;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void the_owner_s_message_is_acted_on_and_answered_in_its_chat_with_a_temp_guid_from_the_turn() throws Exception {
        model().thenCall("call_ann", "create_record", "{\"collection\":\"contacts\",\"fields\":{\"name\":\"Ann\"}}")
                .thenSay("Added Ann.");
        long from = end();
        int sent = blueBubbles().sends().size();
        int typing = blueBubbles().typing().size();

        HttpResponse<String> response = webhook(WEBHOOK_SECRET, Webhooks.newMessage("msg-ann", OWNER, "add Ann"));

        assertThat(response.statusCode()).isEqualTo(200);
        Send reply = blueBubbles().awaitSends(sent + 1, WAIT).getLast();
        agent.awaitIdle(WAIT);
        List<RecordedEvent> events = since(from);
        assertThat(types(events)).containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "TurnCompleted", "ReplySent");
        MessageReceived received = MessageReceived.fromEvent(events.getFirst());
        assertThat(received.message().channel()).isEqualTo("bluebubbles");
        assertThat(received.message().chatId()).isEqualTo("iMessage;-;" + OWNER);
        assertThat(received.message().sender()).isEqualTo(OWNER);
        assertThat(received.message().channelMessageId()).isEqualTo("msg-ann");
        UUID turnId = TurnRunner.turnIdOf(received);
        assertThat(reply.chatGuid()).isEqualTo("iMessage;-;" + OWNER);
        assertThat(reply.message()).isEqualTo("Added Ann.\n\nAdded “Ann” to contacts (name: Ann).");
        assertThat(reply.tempGuid()).isEqualTo("leap-" + turnId);
        assertThat(reply.body().path("method").asText()).isEqualTo("apple-script");
        assertThat(reply.password()).isEqualTo(LoopbackBlueBubbles.PASSWORD);
        assertThat(blueBubbles().sends()).hasSize(sent + 1);
        // "typing…" while the turn ran, once, and cleared when it ended.
        assertThat(blueBubbles().typing().subList(typing, blueBubbles().typing().size()))
                .containsExactly("POST iMessage;-;" + OWNER, "DELETE iMessage;-;" + OWNER);
    }

    @Test
    void the_same_webhook_delivered_twice_is_acted_on_once_and_answered_once() throws Exception {
        model().thenCall("call_bea", "create_record", "{\"collection\":\"contacts\",\"fields\":{\"name\":\"Bea\"}}")
                .thenSay("Added Bea.");
        long from = end();
        int sent = blueBubbles().sends().size();
        JsonNode event = Webhooks.newMessage("msg-bea", OWNER, "add Bea");

        HttpResponse<String> first = webhook(WEBHOOK_SECRET, event);
        HttpResponse<String> second = webhook(WEBHOOK_SECRET, event);
        agent.awaitIdle(WAIT);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(types(since(from))).containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "TurnCompleted", "ReplySent");
        assertThat(blueBubbles().sends()).hasSize(sent + 1);
    }

    @Test
    void the_webhook_answers_once_the_message_is_durable_while_the_model_is_still_thinking() throws Exception {
        model().hold().thenSay("Okay.");
        long from = end();
        int sent = blueBubbles().sends().size();
        HttpResponse<String> response;
        List<String> whenAnswered;
        try {
            response = webhook(WEBHOOK_SECRET, Webhooks.newMessage("msg-slow", OWNER, "note: call mum"));
            whenAnswered = types(since(from));
        } finally {
            model().release();
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(whenAnswered).startsWith("MessageReceived").doesNotContain("TurnCompleted", "ReplySent");
        assertThat(blueBubbles().awaitSends(sent + 1, WAIT).getLast().message()).startsWith("Okay.");
        agent.awaitIdle(WAIT);
        assertThat(types(since(from))).endsWith("TurnCompleted", "ReplySent");
    }

    @Test
    void a_csv_file_the_owner_sends_is_fetched_from_the_mac_and_imported_in_one_turn() throws Exception {
        byte[] csv = "name,phone\nAnn,1\nBob,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        blueBubbles().offer("att-1", csv);
        long from = end();
        int sent = blueBubbles().sends().size();

        HttpResponse<String> response = webhook(WEBHOOK_SECRET,
                Webhooks.withAttachment(Webhooks.newMessage("msg-file", OWNER, "into my friends"), "att-1", "people.csv", csv.length));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(blueBubbles().awaitSends(sent + 1, WAIT).getLast().message())
                .startsWith("Imported 2 record(s) into friends.");
        agent.awaitIdle(WAIT);
        assertThat(types(since(from))).containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "RecordCreated",
                "TurnCompleted", "ReplySent");
    }

    @Test
    void leap_s_own_replies_coming_back_through_the_webhook_are_ignored() throws Exception {
        long from = end();
        int sent = blueBubbles().sends().size();
        int asked = model().requests().size();

        HttpResponse<String> response = webhook(WEBHOOK_SECRET, Webhooks.fromMe("msg-echo", "iMessage;-;" + OWNER, "Added Ann."));
        agent.awaitIdle(WAIT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()).get("message").asText()).isEqualTo("ignored: sent from Leap's own account");
        assertThat(since(from)).isEmpty();
        assertThat(blueBubbles().sends()).hasSize(sent);
        assertThat(model().requests()).hasSize(asked);
    }

    @Test
    void tapbacks_and_events_other_than_new_messages_are_acknowledged_and_ignored() throws Exception {
        long from = end();

        HttpResponse<String> tapback = webhook(WEBHOOK_SECRET, Webhooks.tapback("msg-love", OWNER, "msg-ann"));
        HttpResponse<String> typing = webhook(WEBHOOK_SECRET, Webhooks.typing("iMessage;-;" + OWNER));
        agent.awaitIdle(WAIT);

        assertThat(tapback.statusCode()).isEqualTo(200);
        assertThat(Json.parse(tapback.body()).get("message").asText()).isEqualTo("ignored: a tapback");
        assertThat(typing.statusCode()).isEqualTo(200);
        assertThat(Json.parse(typing.body()).get("message").asText()).isEqualTo("ignored: not a new message");
        assertThat(since(from)).isEmpty();
    }

    @Test
    void a_stranger_is_refused_and_recorded_and_nothing_is_sent() throws Exception {
        long from = end();
        int sent = blueBubbles().sends().size();
        int asked = model().requests().size();

        HttpResponse<String> response = webhook(WEBHOOK_SECRET, Webhooks.newMessage("msg-stranger", "+15559990000", "delete all my contacts"));
        agent.awaitIdle(WAIT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()).get("message").asText()).isEqualTo("refused");
        List<RecordedEvent> events = since(from);
        assertThat(types(events)).containsExactly("SenderRefused");
        JsonNode refusal = Json.parse(events.getFirst().data());
        assertThat(refusal.get("channel").asText()).isEqualTo("bluebubbles");
        assertThat(refusal.get("sender").asText()).isEqualTo("+15559990000");
        assertThat(refusal.get("chatId").asText()).isEqualTo("iMessage;-;+15559990000");
        assertThat(refusal.get("reason").asText()).isEqualTo("not the owner");
        assertThat(events.toString()).doesNotContain("delete all my contacts");
        assertThat(blueBubbles().sends()).hasSize(sent);
        assertThat(model().requests()).hasSize(asked);
    }

    @Test
    void the_owner_writing_in_a_group_chat_is_refused_and_recorded_and_nothing_is_sent() throws Exception {
        long from = end();
        int sent = blueBubbles().sends().size();
        JsonNode byGuid = Webhooks.newMessage("msg-group", OWNER, "iMessage;+;chat493021", "add Ann");
        JsonNode byParticipants = Webhooks.newMessage("msg-group-2", OWNER, "add Ann");
        ((ObjectNode) byParticipants.at("/data/chats/0")).putArray("participants")
                .add(Json.MAPPER.createObjectNode().put("address", OWNER))
                .add(Json.MAPPER.createObjectNode().put("address", "+15559990000"));

        HttpResponse<String> first = webhook(WEBHOOK_SECRET, byGuid);
        HttpResponse<String> second = webhook(WEBHOOK_SECRET, byParticipants);
        agent.awaitIdle(WAIT);

        assertThat(List.of(first.body(), second.body())).allSatisfy(body ->
                assertThat(Json.parse(body).get("message").asText()).isEqualTo("refused"));
        // The same refusal within a minute is counted, not recorded again.
        List<RecordedEvent> events = since(from);
        assertThat(types(events)).containsExactly("SenderRefused");
        JsonNode refusal = Json.parse(events.getFirst().data());
        assertThat(refusal.get("chatId").asText()).isEqualTo("iMessage;+;chat493021");
        assertThat(refusal.get("reason").asText()).isEqualTo("not a private chat");
        assertThat(blueBubbles().sends()).hasSize(sent);
    }

    @Test
    void an_owner_named_by_chat_guid_is_obeyed_in_that_chat_but_not_over_sms_from_the_same_number() throws Exception {
        model().thenSay("Hello.");
        long from = end();
        int sent = blueBubbles().sends().size();

        HttpResponse<String> sms = webhook(WEBHOOK_SECRET, Webhooks.newMessage("msg-sms", "+15550002222", "SMS;-;+15550002222", "hi"));
        HttpResponse<String> imessage = webhook(WEBHOOK_SECRET, Webhooks.newMessage("msg-imessage", "+15550002222", OWNER_IMESSAGE_CHAT, "hi"));

        assertThat(Json.parse(sms.body()).get("message").asText()).isEqualTo("refused");
        assertThat(Json.parse(imessage.body()).get("message").asText()).isEqualTo("received");
        assertThat(blueBubbles().awaitSends(sent + 1, WAIT).getLast().chatGuid()).isEqualTo(OWNER_IMESSAGE_CHAT);
        agent.awaitIdle(WAIT);
        assertThat(types(since(from))).startsWith("SenderRefused", "MessageReceived").endsWith("ReplySent");
    }

    @Test
    void a_wrong_or_missing_webhook_secret_gets_401_and_only_the_refusal_is_recorded() throws Exception {
        long from = end();
        int asked = model().requests().size();
        JsonNode forged = Webhooks.newMessage("msg-forged", OWNER, "delete everything");

        HttpResponse<String> missing = webhook(null, forged);
        HttpResponse<String> wrong = webhook("guess-guess-guess-guess", forged);
        HttpResponse<String> password = webhook(LoopbackBlueBubbles.PASSWORD, forged);
        agent.awaitIdle(WAIT);

        assertThat(List.of(missing, wrong, password)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(401));
        // The password is refused for the same reason as the guess, within the same minute: counted, not recorded again.
        List<RecordedEvent> events = since(from);
        assertThat(types(events)).containsExactly("SenderRefused", "SenderRefused");
        assertThat(events).extracting(e -> Json.parse(e.data()).get("reason").asText()).containsExactly(
                "missing webhook secret at /api/bluebubbles/webhook", "wrong webhook secret at /api/bluebubbles/webhook");
        assertThat(events).extracting(e -> Json.parse(e.data()).get("sender").asText()).containsOnly("127.0.0.1");
        assertThat(events.toString()).doesNotContain("delete everything");
        assertThat(model().requests()).hasSize(asked);
    }

    private static ChatCompletionsServer model() {
        return ScriptedModelServer.model();
    }

    private long end() {
        return log.lastPosition().orElse(-1) + 1;
    }

    private List<RecordedEvent> since(long position) {
        return log.readAll(position, 1_000);
    }

    private static List<String> types(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::type).toList();
    }

    private HttpResponse<String> webhook(String secret, JsonNode event) throws IOException, InterruptedException {
        String query = secret == null ? "" : "?secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(base.resolve(BlueBubblesWebhook.PATH + query))
                        .timeout(ANSWER_WITHIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(event.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
