package dev.leap.connectors.audit;

import dev.leap.store.Direction;
import dev.leap.store.EventLog;
import dev.leap.store.RecordedEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Finds events by type, stream, turn and time, a page at a time, reading as little as it can: a
 * time range becomes a range of positions by binary search; a stream is read through its own index;
 * a turn is its own stream plus the events it names by id. Only a search by type alone walks the
 * log, and a page stops after {@link #SCAN_BUDGET} events, handing back where to go on from.
 */
public final class LogSearch {

    static final int SCAN_BUDGET = 50_000;
    private static final int READ = 1_000;

    private final EventLog log;
    private final TurnAccounts accounts;

    public LogSearch(EventLog log, TurnAccounts accounts) {
        this.log = log;
        this.accounts = accounts;
    }

    public LogPage find(LogQuery query) {
        long low = query.since() == null ? 0 : firstAtOrAfter(query.since());
        long high = query.until() == null ? Long.MAX_VALUE : log.lastPositionAtOrBefore(query.until()).orElse(-1);
        boolean forwards = query.direction() == Direction.FORWARDS;
        long start = forwards ? Math.max(query.from(), low) : Math.min(query.from(), high);
        if (high < low || start < low || start > high) {
            return new LogPage(List.of(), null);
        }
        Predicate<RecordedEvent> wanted = event -> (query.type() == null || query.type().equals(event.type()))
                && (query.stream() == null || query.stream().equals(event.stream()));
        Range range = new Range(low, high, forwards);
        if (query.turn() != null) {
            return ofTurn(query, start, range, wanted);
        }
        Reader reader = query.stream() == null
                ? (from, count) -> log.readAll(from, count, query.direction())
                : streamReader(query.stream(), start, forwards);
        return walk(reader, start, range, wanted, query.limit());
    }

    /**
     * Reads the next events from a position on, in the query's direction. A stream's reader keeps its
     * own place by revision and is only ever asked for the page after the one it gave.
     */
    @FunctionalInterface
    private interface Reader {
        List<RecordedEvent> read(long from, int count);
    }

    /** The positions a query may return, and the way it walks through them. */
    private record Range(long low, long high, boolean forwards) {
        boolean passed(long position) {
            return forwards ? position > high : position < low;
        }

        long after(long position) {
            return forwards ? position + 1 : position - 1;
        }
    }

    private static LogPage walk(Reader reader, long start, Range range, Predicate<RecordedEvent> wanted, int limit) {
        List<EventBody> found = new ArrayList<>();
        long cursor = start;
        int scanned = 0;
        while (true) {
            List<RecordedEvent> page = reader.read(cursor, READ);
            for (RecordedEvent event : page) {
                if (range.passed(event.position())) {
                    return new LogPage(found, null);
                }
                scanned++;
                cursor = range.after(event.position());
                if (wanted.test(event)) {
                    found.add(EventBody.of(event));
                    if (found.size() == limit) {
                        return new LogPage(found, cursor < 0 ? null : cursor);
                    }
                }
            }
            if (page.size() < READ || cursor < 0) {
                return new LogPage(found, null);
            }
            if (scanned >= SCAN_BUDGET) {
                return new LogPage(found, cursor);
            }
        }
    }

    /**
     * Reads one stream from the event at or after (forwards), or at or before (backwards), a position.
     * Revisions grow with positions, so the first revision is found by binary search.
     */
    private Reader streamReader(String stream, long start, boolean forwards) {
        long last = log.lastRevision(stream);
        long revision = forwards ? firstRevisionAtOrAfter(stream, start, last) : lastRevisionAtOrBefore(stream, start, last);
        Direction direction = forwards ? Direction.FORWARDS : Direction.BACKWARDS;
        long[] next = {revision};
        return (from, count) -> {
            if (next[0] < 0 || next[0] > last) {
                return List.of();
            }
            List<RecordedEvent> events = log.readStream(stream, next[0], count, direction);
            if (!events.isEmpty()) {
                next[0] = forwards ? events.getLast().revision() + 1 : events.getLast().revision() - 1;
            }
            return events;
        };
    }

    private long firstRevisionAtOrAfter(String stream, long position, long last) {
        long low = 0;
        long high = last + 1;
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (positionOf(stream, middle) >= position) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    private long lastRevisionAtOrBefore(String stream, long position, long last) {
        long low = -1;
        long high = last;
        while (low < high) {
            long middle = low + (high - low + 1) / 2;
            if (positionOf(stream, middle) <= position) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    private long positionOf(String stream, long revision) {
        return log.readStream(stream, revision, 1, Direction.FORWARDS).getFirst().position();
    }

    /** The events behind one turn, which are few: all of them read, then filtered and paged. */
    private LogPage ofTurn(LogQuery query, long start, Range range, Predicate<RecordedEvent> wanted) {
        Comparator<RecordedEvent> order = Comparator.comparingLong(RecordedEvent::position);
        List<RecordedEvent> events = accounts.eventsBehind(query.turn()).stream()
                .filter(event -> range.forwards() ? event.position() >= start : event.position() <= start)
                .filter(event -> !range.passed(event.position()))
                .filter(wanted)
                .sorted(range.forwards() ? order : order.reversed())
                .toList();
        List<RecordedEvent> page = events.subList(0, Math.min(query.limit(), events.size()));
        Long next = events.size() > page.size() ? range.after(page.getLast().position()) : null;
        return new LogPage(page.stream().map(EventBody::of).toList(), next);
    }

    /** The position of the first event recorded at or after {@code time}, as a lower bound. */
    private long firstAtOrAfter(Instant time) {
        OptionalLong before = log.lastPositionAtOrBefore(time.minus(1, ChronoUnit.MICROS));
        return before.isPresent() ? before.getAsLong() + 1 : 0;
    }
}
