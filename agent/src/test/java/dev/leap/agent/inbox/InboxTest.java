package dev.leap.agent.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxTest {

    @TempDir
    Path dataDirectory;

    @Test
    void a_message_delivered_twice_is_recorded_once() {
        try (SqliteEventLog log = SqliteEventLog.openIn(dataDirectory)) {
            Inbox inbox = new Inbox(log);
            IncomingMessage message = new IncomingMessage("telegram", "42", "42", "1001", "add Ann");

            Inbox.Received first = inbox.receive(message);
            Inbox.Received again = inbox.receive(message);

            assertThat(again).isEqualTo(first);
            assertThat(log.readAll(0, 10)).singleElement().satisfies(event -> {
                assertThat(event.stream()).isEqualTo("chat-telegram-42");
                assertThat(MessageReceived.fromEvent(event).message()).isEqualTo(message);
            });
        }
    }

    @Test
    void the_same_message_id_in_another_chat_is_another_message() {
        try (SqliteEventLog log = SqliteEventLog.openIn(dataDirectory)) {
            Inbox inbox = new Inbox(log);
            inbox.receive(new IncomingMessage("telegram", "42", "42", "1001", "hi"));
            inbox.receive(new IncomingMessage("telegram", "43", "43", "1001", "hi"));

            assertThat(log.readAll(0, 10)).extracting(RecordedEvent::stream)
                    .containsExactly("chat-telegram-42", "chat-telegram-43");
        }
    }

    @Test
    void chat_ids_a_stream_name_cannot_hold_are_encoded_without_collisions() {
        String imessage = ChatStreams.of("bluebubbles", "iMessage;-;+15551234567");
        String lookalike = ChatStreams.of("bluebubbles", "iMessage_-_+15551234567");

        assertThat(imessage).startsWith("chat-bluebubbles-b64.");
        assertThat(imessage).isNotEqualTo(lookalike);
        assertThat(ChatStreams.of("telegram", "-100123")).isEqualTo("chat-telegram--100123");
    }

    @Test
    void unusable_messages_are_refused_with_a_clear_reason() {
        assertThatThrownBy(() -> new IncomingMessage("telegram", "42", "42", "1", "  "))
                .hasMessage("the message has no text");
        assertThatThrownBy(() -> new IncomingMessage("Tele gram", "42", "42", "1", "hi"))
                .hasMessageContaining("channel");
        assertThatThrownBy(() -> new IncomingMessage("http", "42", "42", "1", "x".repeat(IncomingMessage.MAX_TEXT + 1)))
                .hasMessageContaining("longer than");
    }
}
