package dev.leap.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.HashChain;
import dev.leap.store.RecordedEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One log used from many threads at once. The engine opens SQLite without its per-call mutex,
 * relying on its own lock per connection; this is what that must still allow.
 */
class ConcurrentUseTest {

    static final int WRITERS = 4;
    static final int APPENDS = 150;

    @TempDir
    Path directory;

    @Test
    void appends_and_reads_from_many_threads_at_once_keep_every_event_and_the_chain_whole() throws Exception {
        try (SqliteEventLog log = SqliteEventLog.openIn(directory);
                ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 2)) {
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String stream = "record-" + w;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < APPENDS; i++) {
                        ExpectedRevision expected = i == 0 ? ExpectedRevision.noStream() : ExpectedRevision.exactly(i - 1);
                        log.append(stream, expected, EventData.of("Noted", "{\"i\":" + i + "}"));
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        assertThat(log.readAll(0, 500)).extracting(RecordedEvent::position).isSorted();
                        assertThat(log.readStream("record-0")).extracting(RecordedEvent::revision).isSorted();
                    }
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }

            assertThat(log.readAll(0, 10_000)).extracting(RecordedEvent::position)
                    .containsExactlyElementsOf(range(WRITERS * APPENDS));
            for (int w = 0; w < WRITERS; w++) {
                assertThat(log.lastRevision("record-" + w)).isEqualTo(APPENDS - 1);
            }
            assertThat(HashChain.verify(log).intact()).isTrue();
        }
    }

    private static List<Long> range(int count) {
        List<Long> positions = new ArrayList<>();
        for (long p = 0; p < count; p++) {
            positions.add(p);
        }
        return positions;
    }
}
