package dev.leap.connectors.telegram;

import dev.leap.agent.Agent;
import dev.leap.agent.delivery.ReplyChannel;
import dev.leap.agent.owners.Gate;
import dev.leap.connectors.service.LeapConfig;
import dev.leap.connectors.service.LeapReady;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;

/**
 * Leap on Telegram, when a bot token is configured: messages arrive by long polling once Leap can
 * answer them ({@link LeapReady}), pass the owner gate and are handed to the agent; replies come
 * back through the outbox to {@link #send}. Without a token it receives nothing, and a reply
 * meant for Telegram waits in the outbox until one is configured.
 */
@Singleton
public class TelegramConnector implements ReplyChannel {

    private final Gate gate;
    /** Looked up when polling starts: the agent itself is built with every reply channel, this one included. */
    private final Instance<Agent> agent;
    private final Optional<BotApi> api;
    private final Optional<TelegramReplies> replies;
    private LongPolling polling;

    public TelegramConnector(LeapConfig config, Gate gate, Instance<Agent> agent) {
        this.gate = gate;
        this.agent = agent;
        this.api = config.telegram().botToken().map(token -> new BotApi(token, config.telegram().apiUrl()));
        this.replies = api.map(TelegramReplies::new);
    }

    @Override
    public String channel() {
        return TelegramUpdates.CHANNEL;
    }

    @Override
    public int send(String chatId, String text, UUID turnId) {
        return replies().send(chatId, text, turnId);
    }

    @Override
    public void working(String chatId) {
        replies().typing(chatId);
    }

    synchronized void startPolling(@Observes LeapReady ready) {
        api.ifPresent(bot -> {
            polling = new LongPolling(bot, new TelegramUpdates(gate, agent.get(), replies()));
            polling.start();
        });
    }

    synchronized void stop(@Observes ShutdownEvent shutdown) {
        // Only polling stops here: the agent may still be finishing a turn whose reply goes out through
        // the same HTTP client, whose idle threads end with the process.
        if (polling != null) {
            polling.close();
        }
    }

    private TelegramReplies replies() {
        return replies.orElseThrow(() -> new IllegalStateException(
                "Telegram is not configured: set LEAP_TELEGRAM_BOT_TOKEN to deliver this reply"));
    }
}
