package dev.leap.store.kurrentdb;

import dev.leap.store.RecordedEvent;
import dev.leap.store.StorageException;
import java.nio.charset.StandardCharsets;

/** Maps events as KurrentDB stores them to events as Leap recorded them. */
final class StoredEvents {

    private StoredEvents() {
    }

    /**
     * Whether a stored event is part of Leap's log: not one of KurrentDB's system events ({@code $}
     * types, {@code $} streams) and not one of the engine's bookkeeping events.
     */
    static boolean isPartOfLog(io.kurrent.dbclient.RecordedEvent stored) {
        return !stored.getEventType().startsWith("$") && BookkeepingStreams.isPartOfLog(stored.getStreamId());
    }

    /**
     * The Leap event stored as {@code stored}. An event in one of Leap's streams that carries no
     * envelope was written around Leap; it is reported, never skipped, so that it cannot hide in the log.
     */
    static RecordedEvent toLeap(io.kurrent.dbclient.RecordedEvent stored) {
        Envelope envelope = Envelope.fromProperties(stored.getUserMetadata()).orElseThrow(() -> new StorageException(
                "the event at revision %d of stream '%s' (id %s) was not written by Leap: it has no Leap envelope"
                        .formatted(stored.getRevision(), stored.getStreamId(), stored.getEventId()), null));
        return new RecordedEvent(
                envelope.position(),
                stored.getStreamId(),
                stored.getRevision(),
                stored.getEventId(),
                stored.getEventType(),
                new String(stored.getEventData(), StandardCharsets.UTF_8),
                envelope.metadata(),
                envelope.recordedAt(),
                envelope.hash());
    }
}
