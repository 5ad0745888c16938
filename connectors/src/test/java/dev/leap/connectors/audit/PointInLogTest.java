package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.embedded.SqliteEventLog;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The points in the log an auditor can name, and where each one falls. */
class PointInLogTest {

    static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

    @Test
    void a_number_is_a_position_and_times_are_read_with_their_offset_or_in_the_zone_given() {
        assertThat(PointInLog.parse("1200", OSLO)).isEqualTo(new PointInLog.Position(1200));
        assertThat(PointInLog.parse("2025-03-01T09:30:00Z", OSLO))
                .isEqualTo(new PointInLog.Time(Instant.parse("2025-03-01T09:30:00Z")));
        assertThat(PointInLog.parse("2025-03-01T09:30:00.123456+02:00", OSLO))
                .isEqualTo(new PointInLog.Time(Instant.parse("2025-03-01T07:30:00.123456Z")));
        assertThat(PointInLog.parse("2025-03-01 09:30", OSLO))
                .isEqualTo(new PointInLog.Time(Instant.parse("2025-03-01T08:30:00Z")));
        assertThat(PointInLog.parse(" 2025-07-01 ", OSLO))
                .isEqualTo(new PointInLog.Time(Instant.parse("2025-06-30T22:00:00Z")));
    }

    @Test
    void anything_else_is_refused_with_the_forms_that_are_understood() {
        for (String text : new String[] {"yesterday", "", "2025-13-01", "12:30", "-5", "99999999999999999999"}) {
            assertThatThrownBy(() -> PointInLog.parse(text, OSLO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + text + "' is not a point in the log: give " + PointInLog.HELP);
        }
    }

    @Test
    void a_point_falls_on_the_last_event_at_or_before_it_and_before_the_first_there_is_nothing(@TempDir Path directory) {
        try (SqliteEventLog log = SqliteEventLog.openIn(directory)) {
            assertThat(new PointInLog.Position(5).resolve(log)).isEqualTo(PointInLog.BEFORE_THE_FIRST);
            log.append("record-a", ExpectedRevision.any(), EventData.of("A", "{}"), EventData.of("B", "{}"));
            Instant recorded = log.readAll(0, 1).getFirst().recordedAt();

            assertThat(new PointInLog.Position(0).resolve(log)).isZero();
            assertThat(new PointInLog.Position(Long.MAX_VALUE).resolve(log)).isEqualTo(1);
            assertThat(new PointInLog.Time(recorded).resolve(log)).isEqualTo(1);
            assertThat(new PointInLog.Time(recorded.minusNanos(1_000)).resolve(log)).isEqualTo(PointInLog.BEFORE_THE_FIRST);
        }
    }
}
