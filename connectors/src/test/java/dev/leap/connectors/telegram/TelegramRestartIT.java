package dev.leap.connectors.telegram;

import static dev.leap.connectors.telegram.BotApiServer.privateText;
import static dev.leap.connectors.telegram.TelegramServers.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.agent.testing.ChatCompletionsServer;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service with Telegram across restarts: pairing with the code it prints, an update
 * Telegram delivers again because its confirmation never arrived, and a kill between recording a
 * message and replying to it. The service runs in a process of its own so that it can really be
 * stopped, and killed, and started again on the same data directory and the same loopback servers.
 */
class TelegramRestartIT {

    @TempDir
    Path dataDir;

    BotApiServer telegram;
    ChatCompletionsServer model;

    @BeforeEach
    void servers() throws Exception {
        telegram = new BotApiServer(TelegramServers.TOKEN);
        model = new ChatCompletionsServer();
    }

    @AfterEach
    void closeServers() {
        telegram.close();
        model.close();
    }

    @Test
    void the_owner_pairs_by_sending_the_code_leap_printed_at_start_and_strangers_cannot() throws Exception {
        model.thenSay("Hello, owner.");
        try (ServiceProcess leap = ServiceProcess.start(ServiceProcess.settings(dataDir, model.baseUrl(), telegram))) {
            String code = leap.awaitLine(Pattern.compile("/pair (\\S+)")).group(1);

            telegram.deliver(privateText(7, "/pair ABCD-EFGH"));
            telegram.deliver(privateText(OWNER, "/pair " + code));
            assertThat(telegram.awaitMessagesTo(OWNER, 1)).containsExactly(TelegramUpdates.PAIRED);
            telegram.deliver(privateText(OWNER, "hello"));
            assertThat(telegram.awaitMessagesTo(OWNER, 2)).last().isEqualTo("Hello, owner.\n\nNothing was changed.");
            telegram.awaitConfirmed(telegram.deliver(privateText(8, "/pair " + code)));
            leap.stop();
        }

        assertThat(telegram.messagesTo(7)).isEmpty();
        assertThat(telegram.messagesTo(8)).isEmpty();
        List<RecordedEvent> events = events();
        assertThat(events).filteredOn(e -> e.type().equals("OwnerPaired"))
                .extracting(e -> Json.parse(e.data()).get("sender").asText()).containsExactly("42");
        assertThat(events).filteredOn(e -> e.type().equals("SenderRefused"))
                .extracting(e -> Json.parse(e.data()).get("sender").asText()).containsExactly("7", "8");
        assertThat(events).filteredOn(e -> e.type().equals("MessageReceived"))
                .extracting(e -> Json.parse(e.data()).get("text").asText()).containsExactly("hello");
    }

    @Test
    void an_update_telegram_delivers_again_after_a_restart_is_acted_on_once_and_answered_once() throws Exception {
        model.thenCall("call_ann", "create_record", "{\"collection\":\"contacts\",\"fields\":{\"name\":\"Ann Lee\"}}")
                .thenSay("Saved Ann Lee.");
        int update = telegram.deliver(privateText(OWNER, "Add Ann Lee to my contacts"));
        telegram.losePollsAfterHandingOut(update);
        try (ServiceProcess leap = ServiceProcess.start(ownerSettings(model.baseUrl()))) {
            telegram.awaitMessagesTo(OWNER, 1);
            leap.stop();
        }
        assertThat(telegram.confirmed(update)).isFalse();

        telegram.letPollsThrough();
        try (ServiceProcess leap = ServiceProcess.start(ownerSettings(model.baseUrl()))) {
            telegram.awaitConfirmed(update);
            leap.stop();
        }

        assertThat(telegram.timesHandedOut(update)).isEqualTo(2);
        assertThat(telegram.messagesTo(OWNER)).containsExactly("Saved Ann Lee.\n\nAdded “Ann Lee” to contacts (name: Ann Lee).");
        assertThat(model.requests()).hasSize(2);
        assertThat(events()).extracting(RecordedEvent::type)
                .containsExactly("MessageReceived", "TurnStarted", "RecordCreated", "TurnCompleted", "ReplySent");
    }

    @Test
    void killed_between_recording_a_message_and_replying_leap_answers_it_exactly_once_after_a_restart() throws Exception {
        try (StalledModelServer stalled = new StalledModelServer()) {
            int update = telegram.deliver(privateText(OWNER, "Add Bo Chen to my contacts"));
            telegram.losePollsAfterHandingOut(update);
            try (ServiceProcess leap = ServiceProcess.start(ownerSettings(stalled.baseUrl()))) {
                stalled.awaitRequest();
                leap.kill();
            }
            assertThat(events()).extracting(RecordedEvent::type).containsExactly("MessageReceived", "TurnStarted");
            assertThat(telegram.messagesTo(OWNER)).isEmpty();

            telegram.letPollsThrough();
            try (ServiceProcess leap = ServiceProcess.start(ownerSettings(stalled.baseUrl()))) {
                telegram.awaitConfirmed(update);
                telegram.awaitMessagesTo(OWNER, 1);
                leap.stop();
            }

            assertThat(telegram.timesHandedOut(update)).isEqualTo(2);
            assertThat(telegram.messagesTo(OWNER)).containsExactly(
                    "Sorry, I could not finish that: Leap stopped while working on this message, so it was not finished."
                            + "\n\nNothing was changed.");
            assertThat(stalled.requests()).isEqualTo(1);
            assertThat(events()).extracting(RecordedEvent::type)
                    .containsExactly("MessageReceived", "TurnStarted", "TurnCompleted", "ReplySent");
        }
    }

    private Map<String, String> ownerSettings(String modelUrl) {
        Map<String, String> settings = ServiceProcess.settings(dataDir, modelUrl, telegram);
        settings.put("LEAP_TELEGRAM_OWNERS", Long.toString(OWNER));
        return settings;
    }

    /** Every event in the log, read from the file once the service has stopped. */
    private List<RecordedEvent> events() {
        try (SqliteEventLog log = SqliteEventLog.openIn(dataDir)) {
            return log.readAll(0, 1_000);
        }
    }
}
