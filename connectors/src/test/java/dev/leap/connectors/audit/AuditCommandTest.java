package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.connectors.ScriptedModelServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./leap audit} against the running service over HTTP, and straight on its data directory
 * while the service runs.
 */
@QuarkusTest
@QuarkusTestResource(value = ScriptedModelServer.class, restrictToAnnotatedClass = true)
class AuditCommandTest {

    @TestHTTPResource("/")
    URI base;

    @TempDir
    Path scratch;

    ServiceClient leap;
    String collection;

    @BeforeEach
    void a_fresh_collection_for_each_test() {
        leap = new ServiceClient(base);
        collection = "cli" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void a_turn_reads_the_same_through_the_service_and_straight_from_the_data_directory() {
        ScriptedModelServer.model().thenCall("call_ivy", "create_record", create("Ivy Audit")).thenSay("Saved Ivy.");
        String turn = leap.send("add Ivy Audit please");

        Run service = audit("show", turn, "--url", base.toString());
        Run directory = audit("show", turn, "--data-dir", dataDir());
        Run serviceJson = audit("show", turn.substring(0, 8), "--json", "--url", base.toString());
        Run directoryJson = audit("show", turn, "--json", "--data-dir", dataDir());

        assertThat(service.exit()).as(service.err()).isZero();
        assertThat(directory.out()).isEqualTo(service.out());
        assertThat(directoryJson.out()).isEqualTo(serviceJson.out());
        assertThat(service.out()).contains(
                "Turn " + turn + " (message, completed)",
                "    add Ivy Audit please",
                "  tool call  create_record (call_ivy)",
                "    arguments " + create("Ivy Audit"),
                "RecordCreated  record-",
                "Added “Ivy Audit” to " + collection + " (name: Ivy Audit).  (call_ivy)",
                "    Saved Ivy.",
                "  stands     yes: its changes are in effect");
    }

    @Test
    void a_revert_made_on_the_data_directory_beside_the_running_service_is_seen_by_it_and_can_be_reverted_through_it() {
        ScriptedModelServer.model().thenCall("call_jo", "create_record", create("Jo Audit")).thenSay("Saved Jo.");
        String turn = leap.send("add Jo Audit");

        Run revert = audit("revert", turn.substring(0, 8), "--json", "--data-dir", dataDir());

        assertThat(revert.exit()).as(revert.err()).isZero();
        JsonNode account = ServiceClient.json(revert.out());
        String revertId = account.get("turnId").asText();
        assertThat(account.get("actor").asText()).isEqualTo("auditor");
        assertThat(records()).isEmpty();
        assertThat(leap.audit("/api/audit/turns/" + turn).at("/reversals/0/by").asText()).isEqualTo(revertId);

        Run undo = audit("revert", revertId, "--url", base.toString());

        assertThat(undo.exit()).as(undo.err()).isZero();
        assertThat(undo.out()).contains("(revert, completed)", "  reverts    turn " + revertId, "RecordRestored");
        assertThat(records()).hasSize(1);
    }

    @Test
    void turns_log_history_as_of_and_diff_print_one_fact_per_line() {
        long before = leap.head();
        ScriptedModelServer.model().thenCall("call_kai", "create_record", create("Kai Audit")).thenSay("Saved Kai.");
        String turn = leap.send("add Kai Audit");
        String record = leap.audit("/api/audit/turns/" + turn).at("/changes/0/data/recordId").asText();
        String url = base.toString();

        Run turns = audit("turns", "--limit", "1", "--url", url);
        Run log = audit("log", "--turn", turn, "--oldest-first", "--url", url);
        Run history = audit("history", record, "--url", url);
        Run asOf = audit("as-of", Long.toString(before), "--collection", collection, "--url", url);
        Run now = audit("as-of", "2999-01-01", "--collection", collection, "--url", url);
        Run diff = audit("diff", Long.toString(before), Long.toString(leap.head()), "--url", url);

        assertThat(turns.out()).contains(turn + "  http: “add Kai Audit”  [completed, 1 change(s)]").contains("more: --before ");
        assertThat(log.out().lines().map(line -> line.split("  ")[3]).toList())
                .containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "TurnCompleted", "ReplySent");
        assertThat(history.out()).contains("#0  Added “Kai Audit” to " + collection,
                "      turn " + turn + ", from the http message “add Kai Audit”");
        assertThat(asOf.out()).startsWith("Records as of position " + before).contains(": 0");
        assertThat(now.out()).contains(": 1\n  " + collection + "/" + record + "  name: Kai Audit");
        assertThat(diff.out()).contains("1 record(s) differ", "  added  " + collection + "/" + record + "  name: Kai Audit");
    }

    @Test
    void verify_and_export_walk_the_whole_log() throws IOException {
        Path file = scratch.resolve("log.jsonl");

        Run verify = audit("verify", "--data-dir", dataDir());
        Run export = audit("export", "--out", file.toString(), "--url", base.toString());

        assertThat(verify.exit()).isZero();
        assertThat(verify.out()).startsWith("The hash chain is intact: ");
        assertThat(export.exit()).as(export.err()).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(export.out()).isEqualTo("Exported " + lines.size() + " events to " + file.toAbsolutePath() + "\n");
        assertThat(lines).hasSizeGreaterThanOrEqualTo((int) leap.head() + 1)
                .allSatisfy(line -> assertThat(line).startsWith("{\"version\":1,\"position\":"));
    }

    @Test
    void a_wrong_token_an_unknown_turn_a_malformed_time_and_a_missing_log_are_explained() {
        String unknown = UUID.randomUUID().toString();

        Run wrongToken = audit(Map.of("LEAP_HTTP_AUDITOR_TOKEN", "not-the-token"), "turns", "--url", base.toString());
        Run ownerToken = audit(Map.of("LEAP_HTTP_AUDITOR_TOKEN", ScriptedModelServer.OWNER_TOKEN), "verify", "--url",
                base.toString());
        Run unknownTurn = audit("show", unknown, "--data-dir", dataDir());
        Run malformed = audit("as-of", "yesterday", "--url", base.toString());
        Run noLog = audit("turns", "--data-dir", scratch.toString());
        Run notRunning = audit("turns", "--url", "http://127.0.0.1:1");
        Run noTokenFile = audit(Map.of("LEAP_DATA_DIR", scratch.toString()), "turns");
        Run twoPlaces = audit("turns", "--url", base.toString(), "--data-dir", dataDir());

        assertThat(wrongToken.exit()).isEqualTo(1);
        assertThat(wrongToken.err()).contains("refused the auditor token (from LEAP_HTTP_AUDITOR_TOKEN)");
        assertThat(ownerToken.exit()).isEqualTo(1);
        assertThat(unknownTurn.exit()).isEqualTo(1);
        assertThat(unknownTurn.err()).isEqualTo("leap audit: the log has no turn '" + unknown + "'\n");
        assertThat(malformed.exit()).isEqualTo(1);
        assertThat(malformed.err()).contains("'yesterday' is not a point in the log: give a position (e.g. 1200)");
        assertThat(noLog.exit()).isEqualTo(2);
        assertThat(noLog.err()).contains("there is no log in " + scratch.toAbsolutePath());
        assertThat(notRunning.exit()).isEqualTo(1);
        assertThat(notRunning.err()).contains("Leap is not running at http://127.0.0.1:1/");
        assertThat(noTokenFile.exit()).isEqualTo(2);
        assertThat(noTokenFile.err()).contains("No auditor token: " + scratch.resolve("auditor-token") + " is missing");
        assertThat(twoPlaces.exit()).isEqualTo(2);
    }

    private String create(String name) {
        return "{\"collection\":\"" + collection + "\",\"fields\":{\"name\":\"" + name + "\"}}";
    }

    private JsonNode records() {
        return leap.audit("/api/audit/records?collection=" + collection).get("records");
    }

    private static String dataDir() {
        return ScriptedModelServer.dataDir().toString();
    }

    /** What one run of the command printed, and its exit status. */
    record Run(int exit, String out, String err) {
    }

    static Run audit(String... args) {
        return audit(Map.of("LEAP_HTTP_AUDITOR_TOKEN", ScriptedModelServer.AUDITOR_TOKEN), args);
    }

    static Run audit(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of(args));
        Map<String, String> environment = new java.util.HashMap<>(env);
        environment.put("LEAP_TIMEZONE", "UTC");
        int exit = AuditCommand.run(arguments.toArray(String[]::new), environment,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
