package dev.leap.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leap.agent.testing.ChatCompletionsServer;
import dev.leap.store.EventLog;
import dev.leap.store.HashChain;
import dev.leap.store.kurrentdb.KurrentEventLog;
import dev.leap.store.kurrentdb.loopback.LoopbackKurrentDB;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service with its log in KurrentDB (the loopback server speaking KurrentDB's protocol). */
@QuarkusTest
@QuarkusTestResource(value = KurrentStoreTest.Servers.class, restrictToAnnotatedClass = true)
class KurrentStoreTest {

    static volatile ChatCompletionsServer model;
    static volatile LoopbackKurrentDB kurrent;

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventLog log;

    @Test
    void with_leap_store_kurrentdb_a_message_and_its_changes_land_in_kurrentdb_chained() throws Exception {
        model.thenCall("call_1", "create_record", "{\"collection\":\"contacts\",\"fields\":{\"name\":\"Ann\"}}").thenSay("Saved Ann.");

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/api/messages"))
                .header("Authorization", "Bearer " + ScriptedModelServer.OWNER_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"add Ann\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode reply = new ObjectMapper().readTree(response.body());
        assertThat(reply.get("reply").asText()).isEqualTo("Saved Ann.\n\nAdded “Ann” to contacts (name: Ann).");
        assertThat(log).isInstanceOf(KurrentEventLog.class);
        try (KurrentEventLog direct = KurrentEventLog.connect(kurrent.connectionString())) {
            assertThat(direct.readAll(0, 100)).extracting(e -> e.type())
                    .containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "TurnCompleted", "ReplySent");
            assertThat(HashChain.verify(direct).intact()).isTrue();
        }
    }

    public static final class Servers implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                model = new ChatCompletionsServer();
                kurrent = LoopbackKurrentDB.start();
                return Map.of(
                        "leap.store", "kurrentdb",
                        "leap.kurrentdb.connection-string", kurrent.connectionString(),
                        "leap.data-dir", Files.createTempDirectory("leap-kurrent-test").toString(),
                        "leap.model.provider", "openai",
                        "leap.model.name", "scripted-model",
                        "leap.model.base-url", model.baseUrl(),
                        "leap.http.owner-token", ScriptedModelServer.OWNER_TOKEN,
                        "leap.http.auditor-token", ScriptedModelServer.AUDITOR_TOKEN);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            model.close();
            kurrent.close();
        }
    }
}
