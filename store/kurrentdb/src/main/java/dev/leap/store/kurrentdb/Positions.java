package dev.leap.store.kurrentdb;

/**
 * Leap's positions on KurrentDB: the chain revision of the append, then the event's index within the
 * append. They are known before the append is sent (the hash chain needs that order settled) and they
 * grow with the log's order, because every append takes the next chain revision.
 *
 * <p>KurrentDB's own {@code $all} positions are byte offsets: a reader may only start at the offset of
 * a record it was given, so the position after an event ({@code position + 1}, which readers of
 * {@link dev.leap.store.ReadAll} pass) is not one KurrentDB can read from. These positions can be
 * any long: the engine finds the chain link of the append and reads from there.
 */
final class Positions {

    static final int INDEX_BITS = 20;

    /** The most events one append can hold. */
    static final int MAX_EVENTS_PER_APPEND = 1 << INDEX_BITS;

    private Positions() {
    }

    static long of(long chainRevision, int index) {
        if (chainRevision < 0 || chainRevision > (Long.MAX_VALUE >>> INDEX_BITS)) {
            throw new IllegalArgumentException("a chain revision is between 0 and 2^43 - 1, not " + chainRevision);
        }
        if (index < 0 || index >= MAX_EVENTS_PER_APPEND) {
            throw new IllegalArgumentException("an index within an append is between 0 and "
                    + (MAX_EVENTS_PER_APPEND - 1) + ", not " + index);
        }
        return (chainRevision << INDEX_BITS) | index;
    }

    /** The chain revision of the append that recorded the event at {@code position} (0 or more). */
    static long chainRevision(long position) {
        return position >>> INDEX_BITS;
    }
}
