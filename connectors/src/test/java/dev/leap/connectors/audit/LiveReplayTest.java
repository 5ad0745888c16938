package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.agent.testing.ChatCompletionsServer;
import dev.leap.connectors.ScriptedModelServer;
import dev.leap.store.EventLog;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.undo.TurnIndex;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy of the running service's data directory replays to the service's own state. */
@QuarkusTest
@QuarkusTestResource(value = ScriptedModelServer.class, restrictToAnnotatedClass = true)
class LiveReplayTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventLog log;

    @Inject
    RecordProjection records;

    @Inject
    TurnIndex turns;

    @Inject
    Audit audit;

    @TempDir
    Path copy;

    private static JsonNode revert(ServiceClient leap, String turn, int status) {
        HttpResponse<String> response = leap.request("POST", "/api/audit/turns/" + turn + "/revert",
                ScriptedModelServer.AUDITOR_TOKEN, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return ServiceClient.json(response.body());
    }

    @Test
    void a_copy_of_the_live_data_directory_replays_to_the_service_s_records_turn_index_and_accounts() throws Exception {
        ServiceClient leap = new ServiceClient(base);
        ChatCompletionsServer model = ScriptedModelServer.model();
        model.thenCall("call_1", "create_record", "{\"collection\":\"replay\",\"fields\":{\"name\":\"Lu\"}}").thenSay("Added.");
        String added = leap.send("add Lu");
        String lu = leap.audit("/api/audit/turns/" + added).at("/changes/0/data/recordId").asText();
        model.thenCall("call_2", "update_record", "{\"id\":\"" + lu + "\",\"fields\":{\"city\":\"Oslo\"}}").thenSay("Moved.")
                .thenCall("call_3", "create_record", "{\"collection\":\"replay\",\"fields\":{\"name\":\"Mo\"}}").thenSay("Added.")
                .thenCall("call_4", "undo", "{}").thenSay("Undone.")
                .thenCall("call_5", "create_record", "{\"collection\":\"replay\",\"fields\":{\"name\":\"Ny\"}}").thenSay("Added.");
        leap.send("Lu lives in Oslo");
        leap.send("add Mo");
        String undo = leap.send("undo that");
        String ny = leap.send("add Ny");
        // Refused, since Lu changed later: a revert that failed is part of the log too.
        revert(leap, added, 409);
        revert(leap, undo, 200);
        revert(leap, revert(leap, ny, 200).get("turnId").asText(), 200);

        Replay.copy(ScriptedModelServer.dataDir(), copy);

        try (SqliteEventLog copied = SqliteEventLog.openIn(copy)) {
            Replay.assertTheCopyReplaysToTheSameState(log, records, turns, audit, copied);
        }
    }
}
