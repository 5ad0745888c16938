package dev.leap.connectors.audit;

import dev.leap.store.Direction;
import dev.leap.store.StreamName;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Which events of the log an auditor wants, one page at a time. Every filter is optional.
 *
 * @param from      the position to start at, inclusive, walking in {@code direction}
 * @param type      only events of this type
 * @param stream    only events of this stream
 * @param turn      only the events behind this turn: its message, its own stream and the events it appended
 * @param since     only events recorded at or after this time
 * @param until     only events recorded at or before this time
 */
public record LogQuery(long from, Direction direction, int limit, String type, String stream, UUID turn,
        Instant since, Instant until) {

    public static final int MAX_LIMIT = 1_000;

    public LogQuery {
        if (from < 0) {
            throw new IllegalArgumentException("'from' is a position, 0 or more");
        }
        Objects.requireNonNull(direction, "direction");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("'limit' is between 1 and " + MAX_LIMIT);
        }
        type = blankAsNull(type);
        stream = blankAsNull(stream);
        if (stream != null) {
            StreamName.check(stream);
        }
    }

    /** The first page in a direction: the oldest events forwards, the newest backwards. */
    public static LogQuery firstPage(Direction direction, int limit) {
        return new LogQuery(direction == Direction.FORWARDS ? 0 : Long.MAX_VALUE, direction, limit, null, null, null,
                null, null);
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
