package dev.leap.store;

import java.util.ArrayList;
import java.util.List;

/** Reads the events of one stream in revision order. */
@FunctionalInterface
public interface ReadStream {

    /**
     * Up to {@code maxCount} events of the stream, starting at {@code fromRevision} (inclusive) and
     * walking in {@code direction}. A stream with no events reads as an empty list.
     */
    List<RecordedEvent> readStream(String stream, long fromRevision, int maxCount, Direction direction);

    /** Every event of the stream, oldest first. For streams known to be small (one record, one turn). */
    default List<RecordedEvent> readStream(String stream) {
        List<RecordedEvent> all = new ArrayList<>();
        long next = 0;
        while (true) {
            List<RecordedEvent> page = readStream(stream, next, 1_000, Direction.FORWARDS);
            all.addAll(page);
            if (page.size() < 1_000) {
                return all;
            }
            next = page.getLast().revision() + 1;
        }
    }

    /** The revision of the stream's last event, or {@link RecordedEvent#NO_REVISION} if it has none. */
    default long lastRevision(String stream) {
        List<RecordedEvent> last = readStream(stream, Long.MAX_VALUE, 1, Direction.BACKWARDS);
        return last.isEmpty() ? RecordedEvent.NO_REVISION : last.getFirst().revision();
    }
}
