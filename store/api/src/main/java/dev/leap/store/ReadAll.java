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

    /** The position of the newest event, if the log has any. */
    default OptionalLong lastPosition() {
        List<RecordedEvent> last = readAll(Long.MAX_VALUE, 1, Direction.BACKWARDS);
        return last.isEmpty() ? OptionalLong.empty() : OptionalLong.of(last.getFirst().position());
    }
}
