package dev.leap.store.kurrentdb.loopback;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The loopback's transaction log, in memory: records at byte offsets, one after another, and the
 * indexes KurrentDB keeps beside them (by stream, by position, and the cache of recently written
 * event ids that its weak idempotency check consults). Callers that must see and change it in one
 * step (a write checks, then appends) hold its monitor.
 */
final class Log {

    /** Where the first event sits: a real log starts with an epoch record, which is no event. */
    static final long FIRST_EVENT_POSITION = 128;

    /** How many recent event ids KurrentDB's committed-events cache remembers, by default. */
    private static final int RECENT_IDS = 100_000;

    /** A record's fixed part: lengths, flags, ids, positions and timestamp, as in a prepare record. */
    private static final int RECORD_OVERHEAD = 96;

    private final Clock clock;
    private final List<StoredEvent> all = new ArrayList<>();
    private final NavigableMap<Long, StoredEvent> byPosition = new TreeMap<>();
    private final Map<String, List<StoredEvent>> streams = new HashMap<>();
    private final Map<UUID, StoredEvent> recentIds = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, StoredEvent> eldest) {
            return size() > RECENT_IDS;
        }
    };
    private long end = FIRST_EVENT_POSITION;

    Log(Clock clock) {
        this.clock = clock;
    }

    /** The revision of the stream's last event, or -1 if it has none. */
    synchronized long lastRevision(String stream) {
        List<StoredEvent> events = streams.get(stream);
        return events == null ? -1 : events.size() - 1;
    }

    synchronized Optional<StoredEvent> eventAt(String stream, long revision) {
        List<StoredEvent> events = streams.get(stream);
        return events == null || revision < 0 || revision >= events.size()
                ? Optional.empty()
                : Optional.of(events.get((int) revision));
    }

    /** The event recently written with this id, as KurrentDB's committed-events cache has it. */
    synchronized Optional<StoredEvent> recent(UUID id) {
        return Optional.ofNullable(recentIds.get(id));
    }

    /** Appends the events, each to its stream, one after another in the log. */
    synchronized List<StoredEvent> append(List<String> streamOfEach, List<ProposedEvent> events) {
        List<StoredEvent> written = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            String stream = streamOfEach.get(i);
            ProposedEvent event = events.get(i);
            long size = RECORD_OVERHEAD + utf8Length(stream) + utf8Length(event.type()) + event.data().length
                    + event.metadata().length;
            StoredEvent stored = new StoredEvent(end, end + size, stream, lastRevision(stream) + 1, event.id(),
                    event.type(), event.json(), event.data(), event.metadata(), event.propertyMetadata(),
                    clock.instant());
            all.add(stored);
            byPosition.put(stored.position(), stored);
            streams.computeIfAbsent(stream, s -> new ArrayList<>()).add(stored);
            recentIds.put(stored.id(), stored);
            end = stored.nextPosition();
            written.add(stored);
        }
        return written;
    }

    /** Up to {@code count} events from {@code fromRevision} on; empty if the stream does not exist. */
    synchronized Optional<List<StoredEvent>> readStreamForwards(String stream, long fromRevision, long count) {
        List<StoredEvent> events = streams.get(stream);
        if (events == null) {
            return Optional.empty();
        }
        List<StoredEvent> found = new ArrayList<>();
        for (long revision = Math.max(fromRevision, 0); revision < events.size() && found.size() < count; revision++) {
            found.add(events.get((int) revision));
        }
        return Optional.of(found);
    }

    /**
     * Up to {@code count} events from {@code fromRevision} back; a revision past the end (or
     * negative, KurrentDB's "end") starts at the last event. Empty if the stream does not exist.
     */
    synchronized Optional<List<StoredEvent>> readStreamBackwards(String stream, long fromRevision, long count) {
        List<StoredEvent> events = streams.get(stream);
        if (events == null) {
            return Optional.empty();
        }
        long start = fromRevision < 0 || fromRevision >= events.size() ? events.size() - 1 : fromRevision;
        List<StoredEvent> found = new ArrayList<>();
        for (long revision = start; revision >= 0 && found.size() < count; revision--) {
            found.add(events.get((int) revision));
        }
        return Optional.of(found);
    }

    /**
     * Up to {@code count} events at {@code fromPosition} or after it. Like KurrentDB, the log can only
     * be read from the start of a record: a position inside one is refused, except past the last
     * record, where there is nothing left to read.
     */
    synchronized List<StoredEvent> readAllForwards(long fromPosition, long count) {
        List<StoredEvent> found = new ArrayList<>();
        if (all.isEmpty() || fromPosition > all.getLast().position()) {
            return found;
        }
        requireRecordBoundary(fromPosition);
        for (StoredEvent event : byPosition.tailMap(fromPosition, true).values()) {
            if (found.size() >= count) {
                break;
            }
            found.add(event);
        }
        return found;
    }

    /** Up to {@code count} events that end at or before {@code fromPosition}, newest first. */
    synchronized List<StoredEvent> readAllBackwards(long fromPosition, long count) {
        long before = Math.min(fromPosition, end);
        requireRecordBoundary(before);
        List<StoredEvent> found = new ArrayList<>();
        for (StoredEvent event : byPosition.headMap(before, false).descendingMap().values()) {
            if (found.size() >= count) {
                break;
            }
            found.add(event);
        }
        return found;
    }

    /** The end of the log: where the next record will be written. */
    synchronized long end() {
        return end;
    }

    private void requireRecordBoundary(long position) {
        if (position != 0 && position != FIRST_EVENT_POSITION && position != end && !byPosition.containsKey(position)) {
            throw new InvalidPositionException(position);
        }
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A read asked to start inside a record. */
    static final class InvalidPositionException extends RuntimeException {
        InvalidPositionException(long position) {
            super("position " + position + " is inside a record");
        }
    }
}
