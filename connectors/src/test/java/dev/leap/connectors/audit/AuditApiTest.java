package dev.leap.connectors.audit;

import static dev.leap.connectors.audit.ServiceClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.agent.testing.ChatCompletionsServer;
import dev.leap.connectors.ScriptedModelServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The auditor's HTTP API against the running service, with turns the real agent ran. */
@QuarkusTest
@QuarkusTestResource(value = ScriptedModelServer.class, restrictToAnnotatedClass = true)
class AuditApiTest {

    @TestHTTPResource("/")
    URI base;

    ServiceClient leap;
    ChatCompletionsServer model;
    String collection;

    @BeforeEach
    void a_fresh_collection_for_each_test() {
        leap = new ServiceClient(base);
        model = ScriptedModelServer.model();
        collection = "audit" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void show_gives_the_message_each_model_call_each_tool_call_the_events_and_the_reply_of_a_turn() {
        model.thenCall("call_ann", "create_record", create("Ann Audit", "555-0100")).thenSay("Saved Ann.");
        String turn = leap.send("add Ann Audit, 555-0100");

        JsonNode account = leap.audit("/api/audit/turns/" + turn);

        assertThat(account.get("kind").asText()).isEqualTo("message");
        assertThat(account.get("status").asText()).isEqualTo("completed");
        assertThat(account.get("actor").asText()).isEqualTo("agent");
        assertThat(account.get("channel").asText()).isEqualTo("http");
        assertThat(account.get("model").asText()).isEqualTo("scripted-model");
        assertThat(account.at("/message/text").asText()).isEqualTo("add Ann Audit, 555-0100");
        assertThat(account.get("modelCalls")).hasSize(2);
        assertThat(account.at("/modelCalls/0/requested/0/name").asText()).isEqualTo("create_record");
        assertThat(account.at("/modelCalls/0/requested/0/id").asText()).isEqualTo("call_ann");
        assertThat(account.at("/modelCalls/1/text").asText()).isEqualTo("Saved Ann.");
        assertThat(account.at("/toolCalls/0/arguments").asText()).isEqualTo(create("Ann Audit", "555-0100"));
        assertThat(account.at("/toolCalls/0/result").asText()).startsWith("Created record ");
        assertThat(account.get("changesTotal").asInt()).isEqualTo(1);
        JsonNode change = account.at("/changes/0");
        assertThat(change.get("type").asText()).isEqualTo("RecordCreated");
        assertThat(change.get("toolCallId").asText()).isEqualTo("call_ann");
        assertThat(change.get("turnId").asText()).isEqualTo(turn);
        assertThat(change.get("summary").asText())
                .isEqualTo("Added “Ann Audit” to " + collection + " (name: Ann Audit, phone: 555-0100).");
        assertThat(change.at("/data/fields/phone").asText()).isEqualTo("555-0100");
        assertThat(account.get("reply").asText()).isEqualTo("Saved Ann.\n\n" + change.get("summary").asText());
        assertThat(account.at("/delivery/parts").asInt()).isEqualTo(1);
        assertThat(account.get("reversals")).isEmpty();
        assertThat(account.get("stands").asBoolean()).isTrue();
        assertThat(leap.audit("/api/audit/turns/" + turn.substring(0, 8))).isEqualTo(account);
    }

    @Test
    void the_timeline_lists_turns_newest_first_and_pages_back_from_its_cursor() {
        model.thenSay("One.").thenSay("Two.").thenCall("call_c", "create_record", create("Cy", "1")).thenSay("Three.");
        String first = leap.send("first");
        String second = leap.send("second");
        String third = leap.send("third");

        JsonNode page = leap.audit("/api/audit/turns?limit=2");
        JsonNode older = leap.audit("/api/audit/turns?limit=1&before=" + page.get("next").asLong());

        assertThat(page.get("turns")).extracting(t -> t.get("turnId").asText()).containsExactly(third, second);
        assertThat(older.get("turns")).extracting(t -> t.get("turnId").asText()).containsExactly(first);
        JsonNode newest = page.at("/turns/0");
        assertThat(newest.get("message").asText()).isEqualTo("third");
        assertThat(newest.get("reply").asText()).startsWith("Three. Added “Cy”");
        assertThat(newest.get("changes").asInt()).isEqualTo(1);
        assertThat(newest.get("status").asText()).isEqualTo("completed");
        assertThat(newest.get("stands").asBoolean()).isTrue();
    }

    @Test
    void a_record_s_history_names_the_turn_and_the_message_behind_each_event() {
        model.thenCall("call_1", "create_record", create("Bea Audit", "555-0101")).thenSay("Added.");
        String created = leap.send("add Bea Audit");
        String id = recordCreatedBy(created);
        model.thenCall("call_2", "update_record", "{\"id\":\"" + id + "\",\"fields\":{\"phone\":\"555-0199\"}}")
                .thenSay("Changed.");
        String updated = leap.send("Bea's number is now 555-0199");

        JsonNode history = leap.audit("/api/audit/records/" + id + "/history");

        assertThat(history.get("collection").asText()).isEqualTo(collection);
        assertThat(history.get("deleted").asBoolean()).isFalse();
        assertThat(history.get("entries")).extracting(e -> e.get("type").asText())
                .containsExactly("RecordCreated", "RecordUpdated");
        JsonNode update = history.at("/entries/1");
        assertThat(update.get("summary").asText()).isEqualTo("Updated “Bea Audit” in " + collection + ": phone → 555-0199.");
        assertThat(update.at("/cause/turnId").asText()).isEqualTo(updated);
        assertThat(update.at("/cause/kind").asText()).isEqualTo("message");
        assertThat(update.at("/cause/message").asText()).isEqualTo("Bea's number is now 555-0199");
        assertThat(update.at("/cause/toolCallId").asText()).isEqualTo("call_2");
        assertThat(history.at("/entries/0/cause/message").asText()).isEqualTo("add Bea Audit");
        assertThat(history.at("/entries/0/cause/turnId").asText()).isEqualTo(created);
    }

    @Test
    void the_records_as_of_a_time_or_position_and_what_changed_between_two() {
        model.thenCall("call_1", "create_record", create("Dan Audit", "555-0102")).thenSay("Added.");
        String first = leap.send("add Dan");
        String dan = recordCreatedBy(first);
        String then = leap.audit("/api/audit/turns/" + first).get("completedAt").asText();
        long position = leap.head();
        model.thenCall("call_2", "update_record", "{\"id\":\"" + dan + "\",\"fields\":{\"phone\":\"555-0202\"}}")
                .thenCall("call_3", "create_record", create("Eve Audit", "555-0103")).thenSay("Done both.");
        leap.send("Dan's number is 555-0202, and add Eve");

        JsonNode atTime = leap.audit("/api/audit/records?collection=" + collection + "&at=" + encode(then));
        JsonNode atPosition = leap.audit("/api/audit/records?collection=" + collection + "&at=" + position);
        JsonNode now = leap.audit("/api/audit/records?collection=" + collection);
        JsonNode diff = leap.audit("/api/audit/records/changes?from=" + position);

        assertThat(atTime.get("records")).extracting(r -> r.at("/fields/phone").asText()).containsExactly("555-0102");
        assertThat(atPosition.get("records")).isEqualTo(atTime.get("records"));
        assertThat(atPosition.at("/at/position").asLong()).isEqualTo(position);
        assertThat(now.get("total").asInt()).isEqualTo(2);
        assertThat(diff.get("differences")).extracting(d -> d.get("kind").asText() + " " + d.get("label").asText())
                .containsExactlyInAnyOrder("changed Dan Audit", "added Eve Audit");
        JsonNode changed = findBy(diff.get("differences"), "recordId", dan);
        assertThat(changed.at("/changes/0/field").asText()).isEqualTo("phone");
        assertThat(changed.at("/changes/0/before").asText()).isEqualTo("555-0102");
        assertThat(changed.at("/changes/0/after").asText()).isEqualTo("555-0202");
    }

    @Test
    void an_auditor_s_revert_is_a_turn_of_its_own_which_can_itself_be_reverted() {
        model.thenCall("call_1", "create_record", create("Zed Audit", "555-0104")).thenSay("Added.");
        String turn = leap.send("add Zed");
        String zed = recordCreatedBy(turn);

        JsonNode revert = revert(turn);

        String revertId = revert.get("turnId").asText();
        assertThat(revert.get("kind").asText()).isEqualTo("revert");
        assertThat(revert.get("actor").asText()).isEqualTo("auditor");
        assertThat(revert.get("channel").asText()).isEqualTo("audit");
        assertThat(revert.get("reverts").asText()).isEqualTo(turn);
        assertThat(revert.get("status").asText()).isEqualTo("completed");
        assertThat(revert.get("changes")).extracting(c -> c.get("type").asText()).containsExactly("RecordDeleted", "TurnReverted");
        assertThat(revert.at("/changes/0/actor").asText()).isEqualTo("auditor");
        assertThat(revert.at("/changes/0/turnId").asText()).isEqualTo(revertId);
        assertThat(records()).isEmpty();
        JsonNode reverted = leap.audit("/api/audit/turns/" + turn);
        assertThat(reverted.get("stands").asBoolean()).isFalse();
        assertThat(reverted.at("/reversals/0/by").asText()).isEqualTo(revertId);
        assertThat(reverted.at("/reversals/0/kind").asText()).isEqualTo("revert");
        assertThat(reverted.at("/reversals/0/inEffect").asBoolean()).isTrue();
        assertThat(leap.audit("/api/audit/turns?limit=1").at("/turns/0/reverts").asText()).isEqualTo(turn);

        JsonNode undone = revert(revertId);

        assertThat(undone.get("changes")).extracting(c -> c.get("type").asText()).containsExactly("RecordRestored", "TurnReverted");
        assertThat(records()).extracting(r -> r.get("id").asText()).containsExactly(zed);
        assertThat(leap.audit("/api/audit/turns/" + turn).get("stands").asBoolean()).isTrue();
        assertThat(leap.audit("/api/audit/turns/" + turn).at("/reversals/0/inEffect").asBoolean()).isFalse();
        assertThat(leap.audit("/api/audit/turns/" + revertId).get("stands").asBoolean()).isFalse();
        assertThat(leap.audit("/api/audit/records/" + zed + "/history").get("entries"))
                .extracting(e -> e.get("type").asText() + " " + e.at("/cause/kind").asText() + " " + e.at("/cause/reverts").asText(""))
                .containsExactly("RecordCreated message ", "RecordDeleted revert " + turn, "RecordRestored revert " + revertId);
    }

    @Test
    void a_revert_that_cannot_be_done_is_refused_clearly_and_records_nothing() {
        model.thenCall("call_1", "create_record", create("Flo Audit", "555-0105")).thenSay("Added.").thenSay("Hello.");
        String turn = leap.send("add Flo");
        String quiet = leap.send("hello");
        revert(turn);
        long head = leap.head();

        HttpResponse<String> again = post("/api/audit/turns/" + turn + "/revert");
        HttpResponse<String> nothing = post("/api/audit/turns/" + quiet + "/revert");
        HttpResponse<String> unknown = post("/api/audit/turns/" + UUID.randomUUID() + "/revert");
        HttpResponse<String> tooShort = post("/api/audit/turns/ab/revert");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(error(again)).isEqualTo("turn " + turn.substring(0, 8) + " was already reverted");
        assertThat(nothing.statusCode()).isEqualTo(409);
        assertThat(error(nothing)).isEqualTo("turn " + quiet.substring(0, 8) + " changed nothing, so there is nothing to revert");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(leap.head()).isEqualTo(head);
    }

    @Test
    void the_log_is_filtered_by_type_stream_turn_and_time_and_paged_in_both_directions() {
        model.thenCall("call_1", "create_record", create("Gil Audit", "555-0106")).thenSay("Added.").thenSay("Hi.");
        long before = leap.head();
        String turn = leap.send("add Gil");
        String chat = leap.send("hi");
        JsonNode account = leap.audit("/api/audit/turns/" + chat);

        JsonNode behindTurn = leap.audit("/api/log?turn=" + turn);
        JsonNode created = leap.audit("/api/log?type=RecordCreated&from=" + (before + 1));
        JsonNode newestMessage = leap.audit("/api/log?stream=chat-http-owner&direction=backwards&limit=1");
        JsonNode window = leap.audit("/api/log?since=" + encode(account.get("startedAt").asText())
                + "&until=" + encode(account.get("completedAt").asText()));
        List<String> paged = new ArrayList<>();
        Long next = before + 1;
        while (next != null) {
            JsonNode page = leap.audit("/api/log?limit=2&from=" + next);
            page.get("events").forEach(e -> paged.add(e.get("type").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asLong();
        }

        assertThat(behindTurn.get("events")).extracting(e -> e.get("type").asText())
                .containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "TurnCompleted", "ReplySent");
        assertThat(created.get("events")).singleElement()
                .satisfies(e -> assertThat(e.at("/metadata/turnId").asText()).isEqualTo(turn));
        assertThat(newestMessage.at("/events/0/data/text").asText()).isEqualTo("hi");
        assertThat(window.get("events")).extracting(e -> e.get("stream").asText()).containsOnly("turn-" + chat);
        assertThat(paged).containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "TurnCompleted", "ReplySent",
                "MessageReceived", "TurnStarted", "TurnCompleted", "ReplySent");
    }

    @Test
    void verify_walks_the_whole_chain_and_finds_it_intact() {
        JsonNode report = leap.audit("/api/audit/verify");

        assertThat(report.get("intact").asBoolean()).isTrue();
        assertThat(report.get("eventsVerified").asLong()).isEqualTo(leap.head() + 1);
        assertThat(report.get("firstBadPosition").isNull()).isTrue();
    }

    @Test
    void the_export_is_one_json_object_per_event_in_the_documented_format() {
        model.thenCall("call_1", "create_record", create("Hal Audit", "555-0107")).thenSay("Added.");
        long before = leap.head();
        leap.send("add Hal");

        HttpResponse<String> export = leap.request("GET", "/api/audit/export?from=" + (before + 1),
                ScriptedModelServer.AUDITOR_TOKEN, null);

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
        String[] lines = export.body().split("\n");
        assertThat(lines).hasSize(5);
        JsonNode logged = leap.audit("/api/log?from=" + (before + 1));
        for (int i = 0; i < lines.length; i++) {
            JsonNode line = ServiceClient.json(lines[i]);
            assertThat(line.fieldNames()).toIterable().containsExactly("version", "position", "stream", "revision", "id",
                    "type", "data", "metadata", "recordedAt", "hash");
            assertThat(line.get("version").asInt()).isEqualTo(JsonLinesExport.VERSION);
            JsonNode event = logged.get("events").get(i);
            for (String field : List.of("position", "stream", "revision", "id", "type", "data", "metadata", "recordedAt", "hash")) {
                assertThat(line.get(field)).as(field).isEqualTo(event.get(field));
            }
        }
    }

    @Test
    void a_wrong_token_an_unknown_turn_and_a_malformed_time_get_clear_errors() {
        String turn = UUID.randomUUID().toString();

        HttpResponse<String> owner = leap.request("GET", "/api/audit/turns", ScriptedModelServer.OWNER_TOKEN, null);
        HttpResponse<String> none = leap.request("GET", "/api/audit/verify", null, null);
        HttpResponse<String> unknown = leap.request("GET", "/api/audit/turns/" + turn, ScriptedModelServer.AUDITOR_TOKEN, null);
        HttpResponse<String> malformed = leap.request("GET", "/api/audit/records?at=yesterday", ScriptedModelServer.AUDITOR_TOKEN, null);
        HttpResponse<String> position = leap.request("GET", "/api/log?since=12", ScriptedModelServer.AUDITOR_TOKEN, null);
        HttpResponse<String> revertAsOwner = leap.request("POST", "/api/audit/turns/" + turn + "/revert",
                ScriptedModelServer.OWNER_TOKEN, null);

        assertThat(owner.statusCode()).isEqualTo(401);
        assertThat(error(owner)).contains("auditor token is required");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(revertAsOwner.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(error(unknown)).isEqualTo("the log has no turn '" + turn + "'");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(error(malformed)).startsWith("'yesterday' is not a point in the log: give a position (e.g. 1200)");
        assertThat(position.statusCode()).isEqualTo(400);
        assertThat(error(position)).startsWith("'since' is a time");
    }

    @Test
    void the_openapi_document_is_served_without_a_token_and_describes_the_auditor_s_endpoints() {
        HttpResponse<String> response = leap.request("GET", "/q/openapi?format=json", null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = ServiceClient.json(response.body());
        assertThat(document.get("paths").fieldNames()).toIterable().contains("/api/log", "/api/audit/turns",
                "/api/audit/turns/{turn}", "/api/audit/turns/{turn}/revert", "/api/audit/records",
                "/api/audit/records/changes", "/api/audit/records/{id}/history", "/api/audit/verify", "/api/audit/export");
        assertThat(document.at("/components/securitySchemes/auditor/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/components/securitySchemes/owner/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/paths/~1api~1audit~1turns~1{turn}~1revert/post/security/0").has("auditor")).isTrue();
        assertThat(document.at("/paths/~1api~1messages/post/security/0").has("owner")).isTrue();
    }

    private String create(String name, String phone) {
        return "{\"collection\":\"" + collection + "\",\"fields\":{\"name\":\"" + name + "\",\"phone\":\"" + phone + "\"}}";
    }

    private String recordCreatedBy(String turn) {
        return leap.audit("/api/audit/turns/" + turn).at("/changes/0/data/recordId").asText();
    }

    private JsonNode revert(String turn) {
        HttpResponse<String> response = post("/api/audit/turns/" + turn + "/revert");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ServiceClient.json(response.body());
    }

    private HttpResponse<String> post(String path) {
        return leap.request("POST", path, ScriptedModelServer.AUDITOR_TOKEN, null);
    }

    private JsonNode records() {
        return leap.audit("/api/audit/records?collection=" + collection).get("records");
    }

    private static String error(HttpResponse<String> response) {
        return ServiceClient.json(response.body()).get("error").asText();
    }

    private static JsonNode findBy(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.get(field).asText().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no item with " + field + " " + value + " in " + array);
    }
}
