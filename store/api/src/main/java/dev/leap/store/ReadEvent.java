package dev.leap.store;

import java.util.Optional;
import java.util.UUID;

/**
 * Finds one event by its id, wherever in the log it was recorded. The events a turn committed are
 * named by id, so an auditor follows them with this instead of scanning the log.
 */
@FunctionalInterface
public interface ReadEvent {

    /**
     * The event with this id, or empty if the log has none. Engines answer from an index of ids:
     * the cost does not grow with the length of the log.
     */
    Optional<RecordedEvent> readEvent(UUID id);
}
