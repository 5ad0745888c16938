package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.Direction;
import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.RecordedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Readers page through the log with {@code position + 1} and {@code position - 1}: positions KurrentDB
 * could not start a read at, since its own are byte offsets. Leap's positions make any long readable.
 */
class PagingTest {

    @RegisterExtension
    static final KurrentDBUnderTest kurrentdb = new KurrentDBUnderTest();

    @Test
    void the_log_reads_one_event_at_a_time_from_the_position_next_to_the_last_one_read() {
        try (KurrentEventLog log = kurrentdb.open()) {
            long start = log.lastPosition().orElse(-1) + 1;
            for (int append = 0; append < 4; append++) {
                log.append("record-" + UUID.randomUUID(), ExpectedRevision.noStream(),
                        EventData.of("A", "{}"), EventData.of("B", "{}"), EventData.of("C", "{}"));
            }
            List<RecordedEvent> all = log.readAll(start, 100);

            List<RecordedEvent> forwards = new ArrayList<>();
            for (long next = start; forwards.size() < all.size(); next = forwards.getLast().position() + 1) {
                forwards.addAll(log.readAll(next, 1));
            }
            List<RecordedEvent> backwards = new ArrayList<>();
            for (long next = all.getLast().position(); backwards.size() < all.size(); next = backwards.getLast().position() - 1) {
                backwards.addAll(log.readAll(next, 1, Direction.BACKWARDS));
            }

            assertThat(all).hasSize(12);
            assertThat(forwards).isEqualTo(all);
            assertThat(backwards).isEqualTo(all.reversed());
            assertThat(log.readAll(all.getLast().position() + 1, 10)).isEmpty();
        }
    }

    @Test
    void positions_before_between_and_after_the_events_read_like_any_other() {
        try (KurrentEventLog log = kurrentdb.open()) {
            String stream = "record-" + UUID.randomUUID();
            log.append(stream, ExpectedRevision.noStream(), EventData.of("A", "{}"), EventData.of("B", "{}"));
            log.append(stream, ExpectedRevision.exactly(1), EventData.of("C", "{}"));
            List<RecordedEvent> events = log.readStream(stream);
            long betweenAppends = events.get(1).position() + 2; // after B, before C: no event has it

            assertThat(log.readAll(betweenAppends, 1)).extracting(RecordedEvent::type).containsExactly("C");
            assertThat(log.readAll(betweenAppends, 2, Direction.BACKWARDS)).extracting(RecordedEvent::type)
                    .containsExactly("B", "A");
            assertThat(log.readAll(Long.MAX_VALUE, 1, Direction.BACKWARDS)).extracting(RecordedEvent::type)
                    .containsExactly("C");
            assertThat(log.readAll(Long.MAX_VALUE, 1)).isEmpty();
            assertThat(log.readAll(-7, 1, Direction.BACKWARDS)).isEmpty();
            assertThat(log.readAll(-7, 1)).isEqualTo(log.readAll(0, 1));
        }
    }
}
