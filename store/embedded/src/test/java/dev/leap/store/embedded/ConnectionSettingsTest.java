package dev.leap.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings an append's durability rests on, read back from a connection the engine opened. */
class ConnectionSettingsTest {

    @TempDir
    Path directory;

    @Test
    void the_engines_connections_write_ahead_and_fsync_every_commit() throws SQLException {
        try (Connection connection = SqliteEventLog.open(directory.resolve("events.db"))) {
            assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(connection, "synchronous")).as("2 is FULL").isEqualTo("2");
            assertThat(pragma(connection, "wal_autocheckpoint")).isEqualTo(String.valueOf(SqliteEventLog.CHECKPOINT_PAGES));
        }
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getString(1);
        }
    }
}
