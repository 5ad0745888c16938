package dev.leap.agent.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class RefusalsTest {

    @TempDir
    Path dataDirectory;

    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @Test
    void a_refusal_records_who_and_why_but_not_what_they_wrote() {
        try (SqliteEventLog log = SqliteEventLog.openIn(dataDirectory)) {
            new Refusals(log, clock).refuse("telegram", "666", "666", "not the owner");

            JsonNode data = Json.parse(log.readAll(0, 10).getFirst().data());
            assertThat(data.get("channel").asText()).isEqualTo("telegram");
            assertThat(data.get("sender").asText()).isEqualTo("666");
            assertThat(data.get("chatId").asText()).isEqualTo("666");
            assertThat(data.get("reason").asText()).isEqualTo("not the owner");
            assertThat(data.has("text")).isFalse();
        }
    }

    @Test
    void a_sender_who_keeps_knocking_is_recorded_once_a_minute_with_a_count_of_the_rest() {
        try (SqliteEventLog log = SqliteEventLog.openIn(dataDirectory)) {
            Refusals refusals = new Refusals(log, clock);
            for (int i = 0; i < 50; i++) {
                refusals.refuse("http", "10.0.0.9", null, "missing token");
                clock.advance(Duration.ofMillis(100));
            }
            refusals.refuse("http", "10.0.0.8", null, "missing token");
            clock.advance(Duration.ofMinutes(1));
            refusals.refuse("http", "10.0.0.9", null, "missing token");

            List<RecordedEvent> events = log.readAll(0, 100);
            assertThat(events).extracting(RecordedEvent::stream).containsOnly("refusals-http");
            assertThat(events).extracting(e -> Json.parse(e.data()).get("sender").asText())
                    .containsExactly("10.0.0.9", "10.0.0.8", "10.0.0.9");
            assertThat(Json.parse(events.get(2).data()).get("refusedSinceLastRecord").asInt()).isEqualTo(49);
        }
    }

    public static final class MutableClock extends Clock {
        private Instant now;

        public MutableClock(Instant now) {
            this.now = now;
        }

        public void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
