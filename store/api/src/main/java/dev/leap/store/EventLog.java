package dev.leap.store;

/**
 * The append-only log that is Leap's only source of truth. Events are never changed or removed:
 * state is a projection of the log, and undo is a new event.
 */
public interface EventLog extends AppendToStream, ReadStream, ReadAll, ReadEvent, SubscribeToAll, AutoCloseable {

    /** Releases the engine's resources. Appends that returned stay durable. */
    @Override
    void close();
}
