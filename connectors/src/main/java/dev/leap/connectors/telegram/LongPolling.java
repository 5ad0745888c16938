package dev.leap.connectors.telegram;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.longpolling.BotSession;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

/**
 * Receives the bot's messages by long polling, so Leap needs no public address. Starting asks
 * Telegram to drop any webhook first; if Telegram cannot be reached then (a machine booting before
 * its network), it is tried again until it can, while the rest of Leap runs on.
 */
final class LongPolling implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LongPolling.class);
    static final Duration RETRY_START = Duration.ofSeconds(30);

    private final ScheduledExecutorService poller =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("leap-telegram").daemon().factory());
    private final TelegramUpdates updates;
    private final BotSession session;

    LongPolling(BotApi api, TelegramUpdates updates) {
        this.updates = updates;
        this.session = api.session(poller, updates);
    }

    void start() {
        poller.execute(this::tryToStart);
    }

    private void tryToStart() {
        if (poller.isShutdown()) {
            return;
        }
        try {
            session.start();
            LOG.info("Telegram: receiving messages by long polling");
        } catch (TelegramApiException e) {
            LOG.warnf("Telegram cannot be reached (%s); trying again in %ds", e.getMessage(), RETRY_START.toSeconds());
            poller.schedule(this::tryToStart, RETRY_START.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stops polling. A batch being taken in is abandoned where it stands, unconfirmed; a long poll
     * under way is neither cancelled nor interrupted, which the library would log as a failure, but
     * left to end with the process on its daemon thread, and anything it brings is not taken in.
     */
    @Override
    public void close() {
        updates.stop();
        session.stop();
        poller.shutdown();
    }
}
