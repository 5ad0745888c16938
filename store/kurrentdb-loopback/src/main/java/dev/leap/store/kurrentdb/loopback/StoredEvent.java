package dev.leap.store.kurrentdb.loopback;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as the loopback stores it: KurrentDB's prepare record, reduced to what reads return.
 *
 * @param position         the record's log position: its byte offset, which is also its {@code $all}
 *                         commit and prepare position
 * @param nextPosition     the offset right after the record
 * @param metadata         the user metadata as written, or the serialised properties if
 *                         {@code propertyMetadata} (events appended with the v2 protocol)
 */
record StoredEvent(
        long position,
        long nextPosition,
        String stream,
        long revision,
        UUID id,
        String type,
        boolean json,
        byte[] data,
        byte[] metadata,
        boolean propertyMetadata,
        Instant created) {

    StoredEvent {
        if (position < 0 || nextPosition <= position) {
            throw new IllegalArgumentException("a record spans positions " + position + ".." + nextPosition);
        }
        Objects.requireNonNull(stream, "stream");
        if (revision < 0) {
            throw new IllegalArgumentException("a revision is 0 or more, not " + revision);
        }
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(created, "created");
    }
}
