package dev.leap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

    @Test
    void everyEventComesOnceAndInOrderAcrossPagesAndGapsInPositions() {
        // Positions with gaps, as the KurrentDB engine numbers them, and a last page that is exactly full.
        List<RecordedEvent> events = new ArrayList<>();
        for (int i = 0; i < 3 * ReadAhead.PAGE; i++) {
            events.add(event(i * 3L + (i / 1000) * 1_000_000L));
        }
        List<Long> seen = new ArrayList<>();
        int pages = 0;
        try (ReadAhead ahead = new ReadAhead(over(events, new AtomicInteger()), 0)) {
            for (List<RecordedEvent> page = ahead.next(); !page.isEmpty(); page = ahead.next()) {
                page.forEach(event -> seen.add(event.position()));
                pages++;
            }
            assertThat(ahead.next()).isEmpty();
        }

        assertThat(seen).isEqualTo(events.stream().map(RecordedEvent::position).toList());
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void theEventsOfEveryPageComeOnceAndInOrderAndThenNoMore() {
        List<RecordedEvent> events = new ArrayList<>();
        for (int i = 0; i < 2 * ReadAhead.PAGE + 5; i++) {
            events.add(event(i * 2L));
        }
        List<Long> seen = new ArrayList<>();
        try (ReadAhead ahead = new ReadAhead(over(events, new AtomicInteger()), 0)) {
            Iterator<RecordedEvent> iterator = ahead.events().iterator();
            iterator.forEachRemaining(event -> seen.add(event.position()));

            assertThat(iterator.hasNext()).isFalse();
            assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
        }

        assertThat(seen).isEqualTo(events.stream().map(RecordedEvent::position).toList());
    }

    @Test
    void aFoldThatIsNearlyCaughtUpReadsOnePageAndNothingAhead() {
        List<RecordedEvent> events = List.of(event(0), event(1), event(2));
        AtomicInteger reads = new AtomicInteger();
        try (ReadAhead ahead = new ReadAhead(over(events, reads), 1)) {
            assertThat(ahead.next()).extracting(RecordedEvent::position).containsExactly(1L, 2L);
            assertThat(ahead.next()).isEmpty();
        }
        assertThat(reads).hasValue(1);
    }

    @Test
    void aFailedReadAheadIsThrownToTheFoldAsItWas() {
        List<RecordedEvent> events = new ArrayList<>();
        for (int i = 0; i < ReadAhead.PAGE; i++) {
            events.add(event(i));
        }
        ReadAll failingAfterOnePage = (from, max, direction) -> {
            if (from > 0) {
                throw new StorageException("the disk went away", null);
            }
            return events;
        };
        try (ReadAhead ahead = new ReadAhead(failingAfterOnePage, 0)) {
            assertThat(ahead.next()).hasSize(ReadAhead.PAGE);
            assertThatThrownBy(ahead::next).isInstanceOf(StorageException.class).hasMessage("the disk went away");
        }
    }

    private static ReadAll over(List<RecordedEvent> events, AtomicInteger reads) {
        return (from, max, direction) -> {
            reads.incrementAndGet();
            return events.stream().filter(e -> e.position() >= from).limit(max).toList();
        };
    }

    private static RecordedEvent event(long position) {
        return new RecordedEvent(position, "s", position, new UUID(0, position), "T", "{}", "{}", Instant.EPOCH, "h");
    }
}
