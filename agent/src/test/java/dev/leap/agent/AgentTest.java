package dev.leap.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.agent.delivery.ReplyChannel;
import dev.leap.agent.inbox.Inbox;
import dev.leap.agent.inbox.IncomingMessage;
import dev.leap.agent.turn.Assistants;
import dev.leap.agent.turn.ConversationMemory;
import dev.leap.agent.turn.ScriptedChatModel;
import dev.leap.agent.turn.TurnRunner;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.actions.RecordTools;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels that deliver replies on their own: the message is durable first, the reply goes out once. */
class AgentTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDirectory;

    SqliteEventLog log;
    ScriptedChatModel model;
    RecordingChannel phone;
    Agent agent;

    @BeforeEach
    void open() {
        log = SqliteEventLog.openIn(dataDirectory);
        model = new ScriptedChatModel();
        phone = new RecordingChannel();
        agent = start();
    }

    @AfterEach
    void close() {
        agent.close();
        log.close();
    }

    @Test
    void an_accepted_message_is_durable_at_once_and_answered_on_the_worker() throws Exception {
        model.thenCall("c1", "create_record", "{\"collection\":\"notes\",\"fields\":{\"text\":\"buy milk\"}}").thenSay("Noted.");

        agent.accept(message("m1", "note: buy milk"));
        assertThat(log.readAll(0, 10).getFirst().type()).isEqualTo("MessageReceived");
        agent.awaitIdle(WAIT);

        assertThat(phone.sent).containsExactly("chat-1: Noted.\n\nAdded “buy milk” to notes (text: buy milk).");
        assertThat(types()).containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "TurnCompleted", "ReplySent");
        assertThat(phone.typing.get()).isPositive();
        assertThat(phone.idle.get()).isEqualTo(1);
    }

    @Test
    void the_same_message_delivered_twice_is_acted_on_once_and_answered_once() throws Exception {
        model.thenCall("c1", "create_record", "{\"collection\":\"notes\",\"fields\":{\"text\":\"buy milk\"}}").thenSay("Noted.");

        agent.accept(message("m1", "note: buy milk"));
        agent.accept(message("m1", "note: buy milk"));
        agent.awaitIdle(WAIT);

        assertThat(phone.sent).hasSize(1);
        assertThat(types().stream().filter("RecordCreated"::equals)).hasSize(1);
        assertThat(types().stream().filter("MessageReceived"::equals)).hasSize(1);
    }

    @Test
    void a_message_recorded_before_a_crash_is_answered_once_after_the_restart() throws Exception {
        new Inbox(log).receive(message("m1", "hello"));  // recorded, then the process died
        model.thenSay("Hello!");

        agent.resume();
        agent.awaitIdle(WAIT);
        agent.awaitIdle(WAIT);

        assertThat(phone.sent).containsExactly("chat-1: Hello!\n\nNothing was changed.");
        agent.close();
        agent = start();
        agent.resume();
        agent.awaitIdle(WAIT);
        assertThat(phone.sent).hasSize(1);
    }

    @Test
    void a_reply_the_channel_could_not_take_is_sent_once_when_it_can() throws Exception {
        phone.failures = 1;
        model.thenSay("Hello!");

        agent.accept(message("m1", "hello"));
        agent.awaitIdle(WAIT);
        assertThat(phone.sent).isEmpty();
        assertThat(types()).doesNotContain("ReplySent");

        agent.close();
        agent = start();
        agent.resume();
        agent.awaitIdle(WAIT);
        agent.awaitIdle(WAIT);

        assertThat(phone.sent).containsExactly("chat-1: Hello!\n\nNothing was changed.");
        assertThat(types().stream().filter("ReplySent"::equals)).hasSize(1);
        assertThat(model.requests()).hasSize(1);
    }

    private Agent start() {
        RecordProjection projection = new RecordProjection(log);
        ConversationMemory memory = new ConversationMemory(20, null);
        var assistant = Assistants.create(model, RecordTools.all(new RecordService(log, projection), null), memory, 4);
        return Agent.over(log, new TurnRunner(log, assistant, memory, projection, "scripted"), List.of(phone));
    }

    private List<String> types() {
        return log.readAll(0, 100).stream().map(RecordedEvent::type).toList();
    }

    private static IncomingMessage message(String id, String text) {
        return new IncomingMessage("phone", "chat-1", "owner", id, text);
    }

    /** A channel that keeps what it was asked to send; it can refuse the first few sends. */
    static final class RecordingChannel implements ReplyChannel {
        final List<String> sent = new ArrayList<>();
        final AtomicInteger typing = new AtomicInteger();
        final AtomicInteger idle = new AtomicInteger();
        int failures;

        @Override
        public String channel() {
            return "phone";
        }

        @Override
        public synchronized int send(String chatId, String text, UUID turnId) {
            if (failures > 0) {
                failures--;
                throw new IllegalStateException("the phone is off");
            }
            sent.add(chatId + ": " + text);
            return 1;
        }

        @Override
        public void working(String chatId) {
            typing.incrementAndGet();
        }

        @Override
        public void idle(String chatId) {
            idle.incrementAndGet();
        }
    }
}
