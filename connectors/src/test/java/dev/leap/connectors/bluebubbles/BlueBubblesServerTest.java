package dev.leap.connectors.bluebubbles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.agent.inbox.RefusalsTest.MutableClock;
import dev.leap.connectors.bluebubbles.LoopbackBlueBubbles.Send;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leap's calls to BlueBubbles' REST API, against a loopback server that answers as BlueBubbles does. */
class BlueBubblesServerTest {

    static final String PASSWORD = "p@ss word&guid=1";

    LoopbackBlueBubbles mac;
    BlueBubblesServer server;

    @BeforeEach
    void start() throws Exception {
        mac = new LoopbackBlueBubbles();
        server = new BlueBubblesServer(URI.create(mac.url() + "/"), PASSWORD);
    }

    @AfterEach
    void stop() {
        mac.close();
    }

    @Test
    void a_text_is_sent_as_blue_bubbles_json_with_the_password_as_a_query_parameter() {
        server.sendText("iMessage;-;+15550001111", "Saved “Ann”.\n\nAdded Ann.", "leap-1");

        List<Send> sends = mac.sends();
        assertThat(sends).singleElement().satisfies(send -> {
            assertThat(send.password()).isEqualTo(PASSWORD);
            assertThat(send.chatGuid()).isEqualTo("iMessage;-;+15550001111");
            assertThat(send.message()).isEqualTo("Saved “Ann”.\n\nAdded Ann.");
            assertThat(send.tempGuid()).isEqualTo("leap-1");
            assertThat(send.body().path("method").asText()).isEqualTo("apple-script");
        });
    }

    @Test
    void typing_is_shown_and_cleared_through_the_private_api_with_the_chat_guid_in_the_path() {
        assertThat(server.startTyping("iMessage;-;+15550001111")).isTrue();
        assertThat(server.stopTyping("iMessage;-;+15550001111")).isTrue();

        assertThat(mac.typing()).containsExactly("POST iMessage;-;+15550001111", "DELETE iMessage;-;+15550001111");
    }

    @Test
    void a_channel_asks_for_typing_once_per_turn_and_after_a_refusal_not_again_for_an_hour() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        BlueBubblesChannel channel = new BlueBubblesChannel(Optional.of(server), clock);

        channel.working("iMessage;-;+15550001111");
        channel.working("iMessage;-;+15550001111");
        channel.idle("iMessage;-;+15550001111");
        channel.idle("iMessage;-;+15550001111");
        assertThat(mac.typing()).containsExactly("POST iMessage;-;+15550001111", "DELETE iMessage;-;+15550001111");

        mac.privateApi(false);
        channel.working("iMessage;-;+15550001111");
        channel.idle("iMessage;-;+15550001111");
        channel.working("iMessage;-;+15550001111");
        assertThat(mac.typing()).hasSize(3).last().isEqualTo("POST iMessage;-;+15550001111");

        mac.privateApi(true);
        clock.advance(BlueBubblesChannel.TYPING_RETRY_AFTER);
        channel.working("iMessage;-;+15550001111");
        assertThat(mac.typing()).hasSize(4).last().isEqualTo("POST iMessage;-;+15550001111");
    }

    @Test
    void a_reply_blue_bubbles_is_still_sending_counts_as_sent_rather_than_being_sent_twice() {
        mac.thenFail(400, "Validation Error", "Message is already queued to be sent! (Temp GUID: leap-2)");

        server.sendText("iMessage;-;+15550001111", "Noted.", "leap-2");

        assertThat(mac.sends()).hasSize(1);
    }

    @Test
    void a_failed_send_carries_blue_bubbles_explanation_and_never_the_password() {
        mac.thenFail(500, "iMessage Error", "Failed to send message! See attached message error code.");

        assertThatThrownBy(() -> server.sendText("iMessage;-;+15550001111", "Noted.", "leap-3"))
                .isInstanceOfSatisfying(BlueBubblesException.class, e -> assertThat(e.status()).isEqualTo(500))
                .hasMessageContaining("Failed to send message!")
                .message().doesNotContain(PASSWORD);
    }

    @Test
    void a_wrong_password_is_named_as_such() {
        mac.thenFail(401, "Authentication Error", "You are not authorized to access this resource");

        assertThatThrownBy(() -> server.sendText("iMessage;-;+15550001111", "Noted.", "leap-4"))
                .hasMessage("BlueBubbles refused the password in leap.bluebubbles.password");
    }

    @Test
    void an_unreachable_server_is_an_error_naming_the_server_but_not_the_password() {
        mac.close();

        assertThatThrownBy(() -> server.sendText("iMessage;-;+15550001111", "Noted.", "leap-5"))
                .isInstanceOfSatisfying(BlueBubblesException.class, e -> assertThat(e.status()).isZero())
                .hasMessageContaining("cannot be reached")
                .message().doesNotContain(PASSWORD);
    }
}
