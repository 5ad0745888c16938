package dev.leap.store.kurrentdb.loopback;

import java.util.List;
import java.util.Objects;

/**
 * The events for one stream within a write, and what the stream must look like first.
 *
 * @param expectedVersion KurrentDB's expected version: a revision, or {@link #NO_STREAM},
 *                        {@link #ANY} or {@link #STREAM_EXISTS}
 */
record StreamWrite(String stream, long expectedVersion, List<ProposedEvent> events) {

    static final long NO_STREAM = -1;
    static final long ANY = -2;
    static final long STREAM_EXISTS = -4;

    StreamWrite {
        Objects.requireNonNull(stream, "stream");
        if (expectedVersion < 0 && expectedVersion != NO_STREAM && expectedVersion != ANY
                && expectedVersion != STREAM_EXISTS) {
            throw new IllegalArgumentException("not an expected version: " + expectedVersion);
        }
        events = List.copyOf(events);
    }
}
