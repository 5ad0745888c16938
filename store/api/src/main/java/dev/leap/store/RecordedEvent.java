package dev.leap.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as the log recorded it.
 *
 * @param position   place in the whole log; strictly increasing, not necessarily contiguous across engines
 * @param stream     the stream the event belongs to
 * @param revision   0-based index of the event within its stream
 * @param recordedAt when the log recorded it, at microsecond precision
 * @param hash       SHA-256, hex, over the previous event's hash and this event's canonical bytes
 *                   (see {@link HashChain}); links every event to all that came before it
 */
public record RecordedEvent(
        long position,
        String stream,
        long revision,
        UUID id,
        String type,
        String data,
        String metadata,
        Instant recordedAt,
        String hash) {

    /** The revision of a stream that has no events. */
    public static final long NO_REVISION = -1;

    public RecordedEvent {
        if (position < 0) {
            throw new IllegalArgumentException("a position is 0 or more, not " + position);
        }
        StreamName.check(stream);
        if (revision < 0) {
            throw new IllegalArgumentException("a revision is 0 or more, not " + revision);
        }
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(hash, "hash");
    }
}
