package dev.leap.connectors.audit;

import dev.leap.store.Direction;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.UUID;

/** How the auditor's HTTP resources read their parameters, the same way for each of them. */
public final class AuditResources {

    private AuditResources() {
    }

    public static Direction direction(String text) {
        return switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
            case "", "forwards" -> Direction.FORWARDS;
            case "backwards" -> Direction.BACKWARDS;
            default -> throw new IllegalArgumentException("'direction' is forwards or backwards, not '" + text + "'");
        };
    }

    /** A full turn id, or null when none is given. */
    public static UUID turnId(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        UUID id = TurnIds.parse(text.strip());
        if (id == null) {
            throw new IllegalArgumentException("'turn' is a full turn id, not '" + text + "'");
        }
        return id;
    }

    /** A point in the log, or null when none is given. */
    public static PointInLog point(String text, ZoneId zone) {
        return text == null || text.isBlank() ? null : PointInLog.parse(text, zone);
    }

    /** A time (not a position), or null when none is given. */
    public static Instant time(String name, String text, ZoneId zone) {
        return switch (point(text, zone)) {
            case null -> null;
            case PointInLog.Time time -> time.time();
            case PointInLog.Position position -> throw new IllegalArgumentException("'" + name
                    + "' is a time, such as 2025-03-01T09:30:00Z, not a position; to start at a position use 'from'");
        };
    }

    static PointInLog required(String name, String text, ZoneId zone) {
        PointInLog point = point(text, zone);
        if (point == null) {
            throw new IllegalArgumentException("'" + name + "' is required: " + PointInLog.HELP);
        }
        return point;
    }
}
