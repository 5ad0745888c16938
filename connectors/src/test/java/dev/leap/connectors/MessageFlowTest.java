package dev.leap.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leap.agent.testing.ChatCompletionsServer;
import dev.leap.connectors.cli.ChatClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The service from an HTTP message to the events it causes and the reply it gives. */
@QuarkusTest
@QuarkusTestResource(value = ScriptedModelServer.class, restrictToAnnotatedClass = true)
class MessageFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_message_creates_a_record_through_the_model_s_tool_call_and_the_reply_names_it() throws Exception {
        ChatCompletionsServer model = ScriptedModelServer.model();
        int requestsBefore = model.requests().size();
        model.thenCall("call_ann", "create_record", "{\"collection\":\"contacts\",\"fields\":{\"name\":\"Ann Lee\",\"phone\":\"555-0100\"}}")
                .thenSay("Saved Ann Lee.");
        long logBefore = log().size();

        HttpResponse<String> response = post("/api/messages", ScriptedModelServer.OWNER_TOKEN,
                "{\"text\":\"Add Ann Lee, 555-0100, to my contacts\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode reply = JSON.readTree(response.body());
        assertThat(reply.get("reply").asText())
                .isEqualTo("Saved Ann Lee.\n\nAdded “Ann Lee” to contacts (name: Ann Lee, phone: 555-0100).");
        assertThat(reply.get("changes")).hasSize(1);

        List<JsonNode> events = log().subList((int) logBefore, log().size());
        assertThat(events).extracting(e -> e.get("type").asText())
                .containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "TurnCompleted", "ReplySent");
        JsonNode created = events.get(2);
        assertThat(created.at("/metadata/turnId").asText()).isEqualTo(reply.get("turnId").asText());
        assertThat(created.at("/metadata/messageId").asText()).isEqualTo(events.get(0).get("id").asText());
        assertThat(created.at("/metadata/toolCallId").asText()).isEqualTo("call_ann");
        assertThat(created.at("/metadata/model").asText()).isEqualTo("scripted-model");
        assertThat(created.at("/data/fields/name").asText()).isEqualTo("Ann Lee");
        assertThat(events.get(3).at("/data/reply").asText()).isEqualTo(reply.get("reply").asText());
        assertThat(events).allSatisfy(e -> assertThat(e.get("hash").asText()).hasSize(64));

        List<JsonNode> sent = model.requests().subList(requestsBefore, model.requests().size());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).get("model").asText()).isEqualTo("scripted-model");
        assertThat(sent.get(0).get("tools")).extracting(t -> t.at("/function/name").asText())
                .contains("create_record", "find_records");
        assertThat(ChatCompletionsServer.toolMessages(sent.get(1))).singleElement().satisfies(tool -> {
            assertThat(tool.get("tool_call_id").asText()).isEqualTo("call_ann");
            assertThat(tool.get("content").asText()).startsWith("Created record ");
        });
        assertThat(model.authorizations()).last().isEqualTo("Bearer model-key");
        assertThat(ScriptedModelServer.dataDir().resolve("events.db")).isRegularFile();
    }

    @Test
    void sending_the_same_message_id_again_returns_the_first_reply_without_asking_the_model() throws Exception {
        ChatCompletionsServer model = ScriptedModelServer.model();
        model.thenSay("Hello!");
        String body = "{\"text\":\"hi\",\"messageId\":\"" + UUID.randomUUID() + "\"}";

        HttpResponse<String> first = post("/api/messages", ScriptedModelServer.OWNER_TOKEN, body);
        int requests = model.requests().size();
        long events = log().size();
        HttpResponse<String> second = post("/api/messages", ScriptedModelServer.OWNER_TOKEN, body);

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(JSON.readTree(first.body()).get("reply").asText()).isEqualTo("Hello!\n\nNothing was changed.");
        assertThat(model.requests()).hasSize(requests);
        assertThat(log()).hasSize((int) events);
    }

    @Test
    void a_message_without_the_owner_token_is_refused_recorded_and_never_reaches_the_agent() throws Exception {
        long before = log().size();

        HttpResponse<String> none = post("/api/messages", null, "{\"text\":\"delete everything\"}");
        HttpResponse<String> auditor = post("/api/messages", ScriptedModelServer.AUDITOR_TOKEN, "{\"text\":\"delete everything\"}");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(auditor.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).get("error").asText()).contains("owner token is required");
        List<JsonNode> added = log().subList((int) before, log().size());
        assertThat(added).extracting(e -> e.get("type").asText()).containsOnly("SenderRefused");
        assertThat(added).filteredOn(e -> e.at("/data/reason").asText().equals("missing token at /api/messages"))
                .singleElement()
                .satisfies(refusal -> assertThat(refusal.at("/data/channel").asText()).isEqualTo("http"));
        assertThat(added.toString()).doesNotContain("delete everything");
    }

    @Test
    void the_log_needs_the_auditor_token_and_the_owner_token_does_not_open_it() throws Exception {
        assertThat(get("/api/log", ScriptedModelServer.OWNER_TOKEN).statusCode()).isEqualTo(401);
        assertThat(get("/api/log", "guess").statusCode()).isEqualTo(401);
        assertThat(get("/api/log", ScriptedModelServer.AUDITOR_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void unusable_requests_get_a_clear_error_and_record_nothing() throws Exception {
        long before = log().size();

        HttpResponse<String> blank = post("/api/messages", ScriptedModelServer.OWNER_TOKEN, "{\"text\":\"  \"}");
        HttpResponse<String> channel = post("/api/messages", ScriptedModelServer.OWNER_TOKEN,
                "{\"text\":\"hi\",\"channel\":\"telegram\"}");
        HttpResponse<String> page = get("/api/log?limit=5000", ScriptedModelServer.AUDITOR_TOKEN);

        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(blank.body()).get("error").asText()).isEqualTo("the message has no text");
        assertThat(channel.statusCode()).isEqualTo(400);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(log()).hasSize((int) before);
    }

    @Test
    void a_file_posted_to_the_import_endpoint_becomes_records_in_one_turn() throws Exception {
        long before = log().size();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/imports?file=friends.csv"))
                .header("Authorization", "Bearer " + ScriptedModelServer.OWNER_TOKEN)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("name,city\nAnn,Oslo\nBob,Bergen\n"))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("reply").asText())
                .startsWith("Imported 2 record(s) into friends.\n\nAdded “Ann” to friends (name: Ann, city: Oslo).");
        List<JsonNode> added = log().subList((int) before, log().size());
        assertThat(added).extracting(e -> e.get("type").asText())
                .containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "RecordCreated", "TurnCompleted", "ReplySent");
        assertThat(added.get(0).at("/data/text").asText()).isEqualTo("📎 friends.csv (30 bytes)");
    }

    @Test
    void the_terminal_chat_takes_the_same_path_and_is_recorded_as_the_cli_channel() throws Exception {
        ScriptedModelServer.model().thenSay("Hi from the terminal.");
        long before = log().size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = ChatClient.run(new String[] {"hello", "Leap"},
                Map.of("LEAP_URL", base.toString(), "LEAP_HTTP_OWNER_TOKEN", ScriptedModelServer.OWNER_TOKEN),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("leap> Hi from the terminal.\n\n      Nothing was changed.\n");
        JsonNode received = log().get((int) before);
        assertThat(received.get("type").asText()).isEqualTo("MessageReceived");
        assertThat(received.at("/data/channel").asText()).isEqualTo("cli");
        assertThat(received.at("/data/text").asText()).isEqualTo("hello Leap");
    }

    @Test
    void the_terminal_chat_explains_a_missing_token_and_a_refused_one() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        int noToken = ChatClient.run(new String[] {"hi"},
                Map.of("LEAP_URL", base.toString(), "LEAP_DATA_DIR", "/nonexistent/leap"), out, errors);
        int refused = ChatClient.run(new String[] {"hi"},
                Map.of("LEAP_URL", base.toString(), "LEAP_HTTP_OWNER_TOKEN", "not-the-token"), out, errors);

        assertThat(noToken).isEqualTo(2);
        assertThat(refused).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("No owner token: /nonexistent/leap/owner-token is missing")
                .contains("Leap refused the message (401)");
    }

    private List<JsonNode> log() throws IOException, InterruptedException {
        List<JsonNode> events = new ArrayList<>();
        long from = 0;
        while (true) {
            HttpResponse<String> response = get("/api/log?from=" + from + "&limit=1000", ScriptedModelServer.AUDITOR_TOKEN);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = JSON.readTree(response.body());
            page.get("events").forEach(events::add);
            if (page.get("next").isNull()) {
                return events;
            }
            from = page.get("next").asLong();
        }
    }

    private HttpResponse<String> post(String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
