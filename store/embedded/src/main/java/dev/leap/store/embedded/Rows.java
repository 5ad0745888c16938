package dev.leap.store.embedded;

import dev.leap.store.RecordedEvent;
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
                row.getString(2),
                row.getLong(3),
                UUID.fromString(row.getString(4)),
                row.getString(5),
                row.getString(6),
                row.getString(7),
                instant(row.getLong(8)),
                row.getString(9));
    }

    static Instant instant(long epochMicros) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
    }
}
