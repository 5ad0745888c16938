package dev.leap.store;

import java.util.UUID;

/**
 * An event id of the append is already in the log, but the append is not a plain retry of the one
 * that recorded it (another stream, or only part of the batch). Nothing was appended.
 */
public final class EventIdConflictException extends EventLogException {

    private final UUID eventId;
    private final String stream;

    public EventIdConflictException(UUID eventId, String stream, String reason) {
        super("event %s cannot be appended to stream '%s': %s".formatted(eventId, stream, reason));
        this.eventId = eventId;
        this.stream = stream;
    }

    public UUID eventId() {
        return eventId;
    }

    public String stream() {
        return stream;
    }
}
