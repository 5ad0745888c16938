package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.AppendResult;
import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.HashChain;
import dev.leap.store.RecordedEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two Leap processes on one KurrentDB: the chain stream serialises them, so the chain never forks. */
class ConcurrentAppendsTest {

    @RegisterExtension
    static final KurrentDBUnderTest kurrentdb = new KurrentDBUnderTest();

    @Test
    void two_engines_appending_at_once_keep_one_unforked_chain() throws Exception {
        try (KurrentEventLog first = kurrentdb.open(); KurrentEventLog second = kurrentdb.open()) {
            long start = first.lastPosition().orElse(-1) + 1;
            String shared = "record-" + UUID.randomUUID();
            List<Callable<AppendResult>> appends = new ArrayList<>();
            int total = 0;
            for (int i = 0; i < 40; i++) {
                KurrentEventLog log = i % 2 == 0 ? first : second;
                String stream = i % 3 == 0 ? shared : "record-" + UUID.randomUUID();
                List<EventData> events = events(1 + i % 3);
                total += events.size();
                appends.add(() -> log.append(stream, ExpectedRevision.any(), events));
            }

            List<AppendResult> results = runAtOnce(appends);

            List<RecordedEvent> written = first.readAll(start, 1_000);
            assertThat(written).hasSize(total);
            assertThat(written).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
            assertThat(HashChain.verify(second).intact()).isTrue();
            List<RecordedEvent> sharedEvents = second.readStream(shared);
            assertThat(sharedEvents).extracting(RecordedEvent::revision)
                    .containsExactlyElementsOf(LongStream.range(0, sharedEvents.size()).boxed().toList());
            for (AppendResult result : results) {
                assertThat(first.readAll(result.firstPosition(), result.count()))
                        .allSatisfy(event -> assertThat(event.stream()).isEqualTo(result.stream()))
                        .extracting(RecordedEvent::revision)
                        .containsExactlyElementsOf(LongStream.rangeClosed(result.firstRevision(), result.lastRevision()).boxed().toList());
            }
        }
    }

    @Test
    void an_append_that_lost_the_race_is_planned_again_after_the_winner() {
        String winnerStream = "record-" + UUID.randomUUID();
        String loserStream = "record-" + UUID.randomUUID();
        try (KurrentEventLog winner = kurrentdb.open()) {
            // The loser reads the clock after it has read the chain's head: that is when the winner strikes.
            AtomicBoolean struck = new AtomicBoolean();
            Clock striking = new StrikingClock(() -> {
                if (struck.compareAndSet(false, true)) {
                    winner.append(winnerStream, ExpectedRevision.noStream(), EventData.of("Won", "{}"));
                }
            });
            try (KurrentEventLog loser = KurrentEventLog.connect(kurrentdb.connectionString(), striking)) {
                AppendResult result = loser.append(loserStream, ExpectedRevision.noStream(), EventData.of("Lost", "{}"));

                RecordedEvent won = winner.readStream(winnerStream).getFirst();
                RecordedEvent lost = loser.readStream(loserStream).getFirst();
                assertThat(struck).isTrue();
                assertThat(result.firstPosition()).isEqualTo(lost.position()).isGreaterThan(won.position());
                assertThat(lost.hash()).isEqualTo(HashChain.link(won.hash(), lost));
                assertThat(HashChain.verify(loser).intact()).isTrue();
            }
        }
    }

    private static List<AppendResult> runAtOnce(List<Callable<AppendResult>> appends) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<AppendResult> results = new ArrayList<>();
            for (Future<AppendResult> result : pool.invokeAll(appends)) {
                results.add(result.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<EventData> events(int count) {
        return IntStream.range(0, count).mapToObj(i -> EventData.of("Concurrent", "{\"i\":" + i + "}")).toList();
    }

    /** A system clock that runs an action each time it is read. */
    private static final class StrikingClock extends Clock {
        private final Runnable strike;

        StrikingClock(Runnable strike) {
            this.strike = strike;
        }

        @Override
        public Instant instant() {
            strike.run();
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the log keeps time in UTC");
        }
    }
}
