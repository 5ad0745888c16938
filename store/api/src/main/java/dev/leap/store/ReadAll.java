package dev.leap.store;

import java.util.List;
import java.util.OptionalLong;

/** Reads the whole log in position order, across streams. */
@FunctionalInterface
public interface ReadAll {

    /**
     * Up to {@code maxCount} events starting at {@code fromPosition} (inclusive) and walking in
     * {@code direction}. Reading backwards from {@link Long#MAX_VALUE} starts at the newest event.
     */
    List<RecordedEvent> readAll(long fromPosition, int maxCount, Direction direction);

    default List<RecordedEvent> readAll(long fromPosition, int maxCount) {
        return readAll(fromPosition, maxCount, Direction.FORWARDS);
    }

    /**
     * The position of the newest event recorded at or before {@code time}, if any: where "the log as
     * of that time" ends. Recorded times never run backwards, so this is a binary search.
     */
    default OptionalLong lastPositionAtOrBefore(java.time.Instant time) {
        OptionalLong last = lastPosition();
        List<RecordedEvent> first = readAll(0, 1);
        if (last.isEmpty() || first.isEmpty() || first.getFirst().recordedAt().isAfter(time)) {
            return OptionalLong.empty();
        }
        long low = first.getFirst().position();
        long high = last.getAsLong();
        while (low < high) {
            long middle = low + (high - low + 1) / 2;
            RecordedEvent event = readAll(middle, 1).getFirst();
            if (event.recordedAt().isAfter(time)) {
                high = middle - 1;
            } else {
                low = event.position();
            }
        }
        return OptionalLong.of(low);
    }

    /** The position of the newest event, if the log has any. */
    default OptionalLong lastPosition() {
        List<RecordedEvent> last = readAll(Long.MAX_VALUE, 1, Direction.BACKWARDS);
        return last.isEmpty() ? OptionalLong.empty() : OptionalLong.of(last.getFirst().position());
    }
}
