package dev.leap.connectors.telegram;

import dev.leap.agent.Agent;
import dev.leap.agent.inbox.IncomingMessage;
import dev.leap.agent.owners.Gate;
import dev.leap.agent.owners.Gate.Arrival;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.telegram.telegrambots.longpolling.interfaces.LongPollingUpdateConsumer;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.Document;
import dev.leap.agent.inbox.FileStore;

/**
 * Takes in what Telegram delivers: every message passes the owner gate, and the owner's text is
 * recorded through {@link Agent#accept} before Telegram is told it arrived.
 *
 * <p><b>Why an update is confirmed only once its message is durable.</b> Telegram forgets an update
 * when a {@code getUpdates} call carries an {@code offset} above its id. In telegrambots-longpolling
 * 9.6.0, {@code BotSession} polls with one task, scheduled with {@code scheduleAtFixedRate} on a
 * single-threaded executor; each run calls {@code getUpdates} with {@code offset = lastReceivedUpdate + 1}
 * ({@code DefaultGetUpdatesGenerator}) and then, in the same run and on the same thread, calls
 * {@link #consume}. A periodic task never overlaps itself, so the {@code getUpdates} that confirms a
 * batch is sent only by the next run, after {@code consume} has returned. Hence {@code consume} does
 * everything on the calling thread and returns only when every message in the batch is recorded
 * ({@code Agent.accept} returns once {@code MessageReceived} is durable) or deliberately dropped
 * (refused, not text). Handing updates to another thread here, as the library's
 * {@code LongPollingSingleThreadUpdateConsumer} does, would confirm them before they are recorded.
 *
 * <p>The session advances {@code lastReceivedUpdate} in memory before calling {@code consume}, so
 * {@code consume} must not return with a message unrecorded: when recording fails it tries again,
 * holding the poller (and with it the offset) where it is, until it succeeds or Leap stops; then it
 * throws, which ends the polling task before it can send another {@code getUpdates}. The update
 * stays unconfirmed and Telegram delivers it again to the next run of Leap, where its message id
 * makes it a no-op if it had been recorded after all.
 */
final class TelegramUpdates implements LongPollingUpdateConsumer {

    static final String CHANNEL = "telegram";
    static final String PAIRED = "Paired: you are Leap's owner on Telegram now. Send me anything.";
    static final String TEXT_ONLY = "I can only read text, and CSV or JSON files to import, for now.";
    static final String TOO_LARGE = "That file is too large: I take files of up to 5 MB.";

    private static final Logger LOG = Logger.getLogger(TelegramUpdates.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final Gate gate;
    private final Agent agent;
    private final TelegramReplies replies;
    private final CountDownLatch stopping = new CountDownLatch(1);

    TelegramUpdates(Gate gate, Agent agent, TelegramReplies replies) {
        this.gate = gate;
        this.agent = agent;
        this.replies = replies;
    }

    @Override
    public void consume(List<Update> updates) {
        for (Update update : updates) {
            untilTaken(update);
        }
    }

    /** Makes {@link #consume} give up: whatever it has not taken stays unconfirmed. */
    void stop() {
        stopping.countDown();
    }

    private void untilTaken(Update update) {
        Duration wait = FIRST_RETRY;
        while (true) {
            if (stopping.getCount() == 0) {
                throw new CancellationException("Leap is stopping; Telegram update " + update.getUpdateId()
                        + " stays unconfirmed and will be delivered again");
            }
            try {
                take(update);
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Telegram update %d could not be recorded; it stays unconfirmed and is tried again in %ds: %s",
                        update.getUpdateId(), wait.toSeconds(), e);
            }
            try {
                stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
            }
            Duration doubled = wait.multipliedBy(2);
            wait = doubled.compareTo(LAST_RETRY) < 0 ? doubled : LAST_RETRY;
        }
    }

    private void take(Update update) {
        // Only the kinds of update asked for (BotApi.UPDATES_WANTED) arrive; a channel post is
        // never the owner's, but it goes through the gate so that the refusal is recorded.
        Message message = update.hasMessage() ? update.getMessage() : update.getChannelPost();
        if (message == null) {
            return;
        }
        String chatId = message.getChatId().toString();
        Arrival arrival = new Arrival(CHANNEL, senderOf(message), chatId, message.getChat().isUserChat(),
                message.getForwardOrigin() != null, message.hasText() ? message.getText() : "");
        switch (gate.admit(arrival)) {
            case REFUSED -> {
                // Recorded by the gate; a stranger learns nothing, not even that Leap is here.
            }
            case PAIRED -> replies.notice(chatId, PAIRED);
            case QUOTED -> {
                String quoted = message.hasText() ? message.getText() : message.getCaption();
                if (quoted == null || quoted.isBlank()) {
                    replies.notice(chatId, TEXT_ONLY);
                } else {
                    agent.accept(new IncomingMessage(CHANNEL, chatId, arrival.sender(), message.getMessageId().toString(),
                            "", quoted, null));
                }
            }
            case ADMITTED -> {
                if (message.hasText()) {
                    agent.accept(new IncomingMessage(CHANNEL, chatId, arrival.sender(),
                            message.getMessageId().toString(), message.getText()));
                } else if (message.hasDocument()) {
                    takeFile(message, chatId, arrival.sender());
                } else {
                    replies.notice(chatId, TEXT_ONLY);
                }
            }
        }
    }

    /** A file from the owner: kept and recorded with its message before the update is confirmed, then imported. */
    private void takeFile(Message message, String chatId, String sender) {
        Document document = message.getDocument();
        Long size = document.getFileSize();
        if (size != null && size > FileStore.MAX_BYTES) {
            replies.notice(chatId, TOO_LARGE);
            return;
        }
        byte[] content = replies.download(document);
        if (content.length > FileStore.MAX_BYTES) {
            replies.notice(chatId, TOO_LARGE);
            return;
        }
        String name = document.getFileName() == null ? "file" : document.getFileName();
        String caption = message.getCaption() == null ? "" : message.getCaption();
        agent.acceptFile(new IncomingMessage(CHANNEL, chatId, sender, message.getMessageId().toString(),
                caption.isBlank() ? "📎 " + name : caption), name, content);
    }

    /** The user who wrote it; a post made in the name of a chat (a channel) has no user, only that chat. */
    private static String senderOf(Message message) {
        if (message.getFrom() != null) {
            return message.getFrom().getId().toString();
        }
        return (message.getSenderChat() != null ? message.getSenderChat() : message.getChat()).getId().toString();
    }
}
