package dev.leap.connectors.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the auditor's views write a time: ISO-8601 in UTC with exactly six decimals, the precision at
 * which the log records time, so that every time has the same width and sorts as text.
 */
public final class Times {

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String iso(Instant instant) {
        return instant == null ? null : MICROS.format(instant);
    }
}
