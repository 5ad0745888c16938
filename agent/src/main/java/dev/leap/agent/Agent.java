package dev.leap.agent;

import dev.leap.agent.delivery.Outbox;
import dev.leap.agent.delivery.PendingWork;
import dev.leap.agent.delivery.ReplyChannel;
import dev.leap.agent.inbox.Attachment;
import dev.leap.agent.inbox.FileStore;
import dev.leap.agent.inbox.Inbox;
import dev.leap.agent.inbox.Inbox.Received;
import dev.leap.agent.inbox.IncomingMessage;
import dev.leap.agent.inbox.MessageReceived;
import dev.leap.agent.reminders.Reminders;
import dev.leap.agent.turn.Reply;
import dev.leap.agent.turn.TurnRunner;
import dev.leap.store.EventLog;
import dev.leap.tools.files.ImportService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path every channel takes: the message is recorded durably first, then its turn runs,
 * then its reply is delivered and the delivery recorded. A connector only hands messages over and
 * sends replies; it never talks to the model or the tools.
 *
 * <p>Channels that answer in the response to a request (HTTP, the terminal, the web page) use
 * {@link #handle}. Channels that deliver replies on their own (Telegram, iMessage) use
 * {@link #accept}, which returns as soon as the message is durable, so that the connector can
 * acknowledge it to its channel; the turn then runs on Leap's worker, one message at a time.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final Duration TYPING_EVERY = Duration.ofSeconds(4);
    static final Duration RETRY_EVERY = Duration.ofSeconds(30);
    static final Duration REMINDERS_EVERY = Duration.ofSeconds(5);
    private static final Pattern INTO = Pattern.compile("(?iu)\\binto\\s+(?:my\\s+|the\\s+)?([\\p{L}\\p{N}_-]+)");

    private final Inbox inbox;
    private final TurnRunner turns;
    private final Outbox outbox;
    private final PendingWork pending;
    private final Map<String, ReplyChannel> channels;
    private final Reminders reminders;
    private final ImportService imports;
    private final FileStore files;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("leap-agent").factory());
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("leap-timers").daemon().factory());

    /**
     * @param reminders sends reminders when they fall due; null for none
     * @param imports   turns files into records; null if files are not accepted
     * @param files     keeps the files messages bring; null if files are not accepted
     */
    public Agent(Inbox inbox, TurnRunner turns, Outbox outbox, PendingWork pending, List<ReplyChannel> channels,
            Reminders reminders, ImportService imports, FileStore files) {
        this.inbox = inbox;
        this.turns = turns;
        this.outbox = outbox;
        this.pending = pending;
        this.channels = channels.stream().collect(Collectors.toMap(ReplyChannel::channel, Function.identity()));
        this.reminders = reminders;
        this.imports = imports;
        this.files = files;
    }

    /** The agent over one log, replying through these channels, without reminders or file imports. */
    public static Agent over(EventLog log, TurnRunner turns, List<ReplyChannel> channels) {
        return over(log, turns, channels, null, null, null);
    }

    /** The agent over one log, replying through these channels. */
    public static Agent over(EventLog log, TurnRunner turns, List<ReplyChannel> channels, Reminders reminders,
            ImportService imports, FileStore files) {
        return new Agent(new Inbox(log), turns, new Outbox(log, channels), new PendingWork(log), channels, reminders,
                imports, files);
    }

    /**
     * Records the message and answers it here and now. Handing over the same channel message again
     * returns the same reply and changes nothing.
     */
    public Reply handle(IncomingMessage message) {
        Reply reply = turns.run(inbox.receive(message).message());
        outbox.deliver(reply.turnId());
        return reply;
    }

    /**
     * Keeps a file the owner sent, records the message that brings it, and imports the file's rows
     * as the message's turn, here and now. The collection is the one the message names ("into
     * contacts"), else the file's name. The same message again imports nothing twice.
     */
    public Reply importFile(IncomingMessage message, String fileName, byte[] content) {
        MessageReceived received = inbox.receive(message.withAttachment(filesOrFail().keep(fileName, content))).message();
        Reply reply = importNow(received);
        outbox.deliver(reply.turnId());
        return reply;
    }

    /**
     * Keeps a file the owner sent and records the message that brings it, then returns, as
     * {@link #accept} does: the import runs on the worker and its reply goes out through the outbox.
     */
    public void acceptFile(IncomingMessage message, String fileName, byte[] content) {
        Received received = inbox.receive(message.withAttachment(filesOrFail().keep(fileName, content)));
        worker.execute(() -> answer(received.message()));
    }

    private Reply importNow(MessageReceived message) {
        Attachment file = message.message().attachment();
        return turns.runImport(message, file.fileName(), filesOrFail().read(file), collectionNamedIn(message.message().text()),
                imports);
    }

    /** "import these into my contacts" names contacts; otherwise none is named. */
    static String collectionNamedIn(String text) {
        Matcher named = INTO.matcher(text);
        return named.find() ? named.group(1) : null;
    }

    private FileStore filesOrFail() {
        if (files == null || imports == null) {
            throw new IllegalStateException("this agent does not take files");
        }
        return files;
    }

    /**
     * Records the message durably and returns: the connector may now acknowledge it to its channel.
     * The turn runs on the worker and the reply goes out through the outbox. A message accepted
     * twice is recorded and answered once.
     */
    public void accept(IncomingMessage message) {
        Received received = inbox.receive(message);
        worker.execute(() -> answer(received.message()));
    }

    /**
     * Picks up where Leap stopped: answers every message received but never answered and delivers
     * every reply never delivered. Called once at start; undelivered replies are retried from then on.
     */
    public void resume() {
        for (MessageReceived message : pending.unanswered()) {
            worker.execute(() -> answer(message));
        }
        worker.execute(this::deliverPending);
        timers.scheduleWithFixedDelay(() -> worker.execute(this::deliverPending), RETRY_EVERY.toMillis(),
                RETRY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        if (reminders != null) {
            // Reminders that fell due while Leap was down go out now, marked late; the rest on time.
            timers.scheduleWithFixedDelay(this::deliverReminders, 0, REMINDERS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void deliverReminders() {
        try {
            reminders.deliverDue();
        } catch (RuntimeException e) {
            LOG.warn("delivering reminders failed; trying again shortly", e);
        }
    }

    /** Waits until the worker has done everything handed to it so far. For tests and shutdown. */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        var done = worker.submit(() -> { });
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Leap's worker did not become idle within " + timeout, e);
        }
    }

    private void answer(MessageReceived message) {
        ReplyChannel channel = channels.get(message.message().channel());
        ScheduledFuture<?> typing = channel == null ? null : timers.scheduleAtFixedRate(
                () -> working(channel, message.message().chatId()), 0, TYPING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        UUID turnId;
        try {
            turnId = (message.message().attachment() != null ? importNow(message) : turns.run(message)).turnId();
        } catch (RuntimeException e) {
            LOG.error("the turn for message {} failed; it will be resumed at the next start", message.eventId(), e);
            return;
        } finally {
            if (typing != null) {
                typing.cancel(false);
                idle(channel, message.message().chatId());
            }
        }
        outbox.deliver(turnId);
    }

    private void deliverPending() {
        for (UUID turnId : pending.undelivered()) {
            try {
                outbox.deliver(turnId);
            } catch (RuntimeException e) {
                LOG.warn("the reply of turn {} could not be delivered: {}", turnId, e.toString());
            }
        }
    }

    private static void working(ReplyChannel channel, String chatId) {
        try {
            channel.working(chatId);
        } catch (RuntimeException e) {
            LOG.debug("the typing indicator of {} failed", channel.channel(), e);
        }
    }

    private static void idle(ReplyChannel channel, String chatId) {
        try {
            channel.idle(chatId);
        } catch (RuntimeException e) {
            LOG.debug("clearing the typing indicator of {} failed", channel.channel(), e);
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
