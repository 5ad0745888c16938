package dev.leap.store.embedded;

import dev.leap.store.RecordedEvent;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** Maps rows of the events table to recorded events. */
final class Rows {

    static final String COLUMNS = "position, stream, revision, id, type, data, metadata, recorded_at, hash";

    private Rows() {
    }

    static RecordedEvent event(ResultSet row) throws SQLException {
        return new RecordedEvent(
                row.getLong(1),
                text(row, 2),
                row.getLong(3),
                UUID.fromString(text(row, 4)),
                text(row, 5),
                text(row, 6),
                text(row, 7),
                instant(row.getLong(8)),
                text(row, 9));
    }

    /**
     * A text column, decoded here from the UTF-8 bytes SQLite stores (the file's encoding, checked
     * when it is opened). sqlite-jdbc's getString builds every string through a call from native
     * code back into Java; fetching the bytes and decoding them in Java reads the log faster.
     */
    private static String text(ResultSet row, int column) throws SQLException {
        return new String(row.getBytes(column), StandardCharsets.UTF_8);
    }

    static Instant instant(long epochMicros) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
    }
}
