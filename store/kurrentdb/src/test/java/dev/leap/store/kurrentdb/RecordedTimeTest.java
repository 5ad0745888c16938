package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.HashChain;
import dev.leap.store.RecordedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Writers on different machines have different clocks; the log's time still never runs backwards. */
class RecordedTimeTest {

    @RegisterExtension
    static final KurrentDBUnderTest kurrentdb = new KurrentDBUnderTest();

    @Test
    void an_append_from_a_writer_whose_clock_is_behind_is_recorded_no_earlier_than_the_one_before() {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(2));
        Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        String stream = "record-" + UUID.randomUUID();
        try (KurrentEventLog fast = KurrentEventLog.connect(kurrentdb.connectionString(), ahead);
                KurrentEventLog slow = KurrentEventLog.connect(kurrentdb.connectionString(), behind)) {
            fast.append(stream, ExpectedRevision.noStream(), EventData.of("First", "{}"));
            slow.append(stream, ExpectedRevision.exactly(0), EventData.of("Second", "{}"));

            RecordedEvent first = slow.readStream(stream).get(0);
            RecordedEvent second = slow.readStream(stream).get(1);
            assertThat(second.recordedAt()).isAfterOrEqualTo(first.recordedAt());
            assertThat(second.recordedAt()).isEqualTo(second.recordedAt().truncatedTo(ChronoUnit.MICROS));
            assertThat(HashChain.verify(slow).intact()).isTrue();
        }
    }
}
