package dev.leap.connectors.audit;

import dev.leap.store.Direction;
import dev.leap.store.ReadAll;
import dev.leap.store.RecordedEvent;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * A point in the log an auditor names: a position, or a time. A time means "just after the last event
 * recorded at or before it"; a position, "just after that event".
 */
public sealed interface PointInLog {

    /** The point before the first event: nothing had happened yet. */
    long BEFORE_THE_FIRST = -1;

    String HELP = "a position (e.g. 1200), a time with its offset (2025-03-01T09:30:00Z), a local time "
            + "(2025-03-01 09:30 or 2025-03-01T09:30:15) or a date (2025-03-01, meaning its start)";

    record Position(long position) implements PointInLog {
        public Position {
            if (position < 0) {
                throw new IllegalArgumentException("a position is 0 or more, not " + position);
            }
        }
    }

    record Time(Instant time) implements PointInLog {
        public Time {
            Objects.requireNonNull(time, "time");
        }
    }

    /**
     * Reads what an auditor wrote; local times and dates are in {@code zone}.
     *
     * @throws IllegalArgumentException naming the forms understood, if the text is none of them
     */
    static PointInLog parse(String text, ZoneId zone) {
        String given = text == null ? "" : text.strip();
        if (given.matches("[0-9]{1,19}")) {
            try {
                return new Position(Long.parseLong(given));
            } catch (NumberFormatException tooLong) {
                throw malformed(text);
            }
        }
        try {
            return new Time(OffsetDateTime.parse(given).toInstant());
        } catch (DateTimeException notWithOffset) {
            // Try the local forms.
        }
        try {
            return new Time(LocalDateTime.parse(given.replace(' ', 'T')).atZone(zone).toInstant());
        } catch (DateTimeException notLocal) {
            // Try a date.
        }
        try {
            return new Time(LocalDate.parse(given, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(zone).toInstant());
        } catch (DateTimeException notADate) {
            throw malformed(text);
        }
    }

    /** The position of the last event at this point, or {@link #BEFORE_THE_FIRST}; never past the log's end. */
    default long resolve(ReadAll log) {
        return switch (this) {
            case Position p -> {
                List<RecordedEvent> atOrBefore = log.readAll(p.position(), 1, Direction.BACKWARDS);
                yield atOrBefore.isEmpty() ? BEFORE_THE_FIRST : atOrBefore.getFirst().position();
            }
            case Time t -> log.lastPositionAtOrBefore(t.time()).orElse(BEFORE_THE_FIRST);
        };
    }

    private static IllegalArgumentException malformed(String text) {
        return new IllegalArgumentException("'" + text + "' is not a point in the log: give " + HELP);
    }
}
