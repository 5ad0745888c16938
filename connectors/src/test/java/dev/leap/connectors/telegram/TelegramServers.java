package dev.leap.connectors.telegram;

import dev.leap.agent.testing.ChatCompletionsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Starts the service as its owner would run it with Telegram, except that Telegram and the model
 * are servers on loopback: a Bot API server and a scripted OpenAI-compatible model. Everything in
 * between — the telegrambots client, the gate, the agent, the outbox, the log file — is real.
 */
public final class TelegramServers implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "123456:test-token";
    static final long OWNER = 42;

    private static volatile BotApiServer telegram;
    private static volatile ChatCompletionsServer model;

    static BotApiServer telegram() {
        return telegram;
    }

    static ChatCompletionsServer model() {
        return model;
    }

    @Override
    public Map<String, String> start() {
        try {
            telegram = new BotApiServer(TOKEN);
            model = new ChatCompletionsServer();
            return Map.of(
                    "leap.data-dir", Files.createTempDirectory("leap-telegram-test").toString(),
                    "leap.model.provider", "openai",
                    "leap.model.name", "scripted-model",
                    "leap.model.base-url", model.baseUrl(),
                    "leap.telegram.bot-token", TOKEN,
                    "leap.telegram.owners", Long.toString(OWNER),
                    "leap.telegram.api-url", telegram.url());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (telegram != null) {
            telegram.close();
        }
        if (model != null) {
            model.close();
        }
    }
}
