package dev.leap.store;

import java.util.List;

/** Appends events to one stream, atomically: all of them are recorded, or none. */
@FunctionalInterface
public interface AppendToStream {

    /**
     * Appends the events to the end of the stream if the stream is as {@code expected}. When the
     * call returns, the events are durable.
     *
     * <p>If every event id is already in the log, in this stream, nothing is appended and the
     * result of the original append is returned, whatever {@code expected} says: a retried write is
     * safe. If only some are, nothing is appended and {@link EventIdConflictException} is thrown.
     *
     * @throws WrongExpectedRevisionException if the stream is not as expected
     * @throws EventIdConflictException       if an id is already used by another stream or batch
     * @throws StorageException               if the engine could not record the events
     */
    AppendResult append(String stream, ExpectedRevision expected, List<EventData> events);

    default AppendResult append(String stream, ExpectedRevision expected, EventData... events) {
        return append(stream, expected, List.of(events));
    }
}
