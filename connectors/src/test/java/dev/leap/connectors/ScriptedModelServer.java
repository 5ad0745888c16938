package dev.leap.connectors;

import dev.leap.agent.testing.ChatCompletionsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the service against a scripted model server on loopback, speaking OpenAI's wire format, in
 * a fresh data directory. Everything in between — HTTP, agent, tools, log file — is the real thing.
 */
public final class ScriptedModelServer implements QuarkusTestResourceLifecycleManager {

    public static final String OWNER_TOKEN = "owner-token-for-tests-0123456789";
    public static final String AUDITOR_TOKEN = "auditor-token-for-tests-0123456789";

    private static volatile ChatCompletionsServer server;
    private static volatile Path dataDir;

    public static ChatCompletionsServer model() {
        return server;
    }

    public static Path dataDir() {
        return dataDir;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = new ChatCompletionsServer();
            dataDir = Files.createTempDirectory("leap-service-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "leap.data-dir", dataDir.toString(),
                "leap.model.provider", "openai",
                "leap.model.name", "scripted-model",
                "leap.model.base-url", server.baseUrl(),
                "leap.model.api-key", "model-key",
                "leap.http.owner-token", OWNER_TOKEN,
                "leap.http.auditor-token", AUDITOR_TOKEN);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
