package dev.leap.store.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The file's schema. The triggers are what makes the log append-only at the storage level: SQLite
 * itself refuses to change or remove an event row, through Leap or through the sqlite3 shell.
 */
final class Schema {

    static final int VERSION = 1;

    private Schema() {
    }

    static void create(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            checkEncoding(s);
            s.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS events (
                      position    INTEGER PRIMARY KEY,
                      stream      TEXT    NOT NULL,
                      revision    INTEGER NOT NULL,
                      id          TEXT    NOT NULL UNIQUE,
                      type        TEXT    NOT NULL,
                      data        TEXT    NOT NULL,
                      metadata    TEXT    NOT NULL,
                      recorded_at INTEGER NOT NULL,
                      hash        TEXT    NOT NULL,
                      UNIQUE (stream, revision)
                    ) STRICT""");
            s.executeUpdate("""
                    CREATE TRIGGER IF NOT EXISTS events_are_never_updated BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: an event cannot be updated'); END""");
            s.executeUpdate("""
                    CREATE TRIGGER IF NOT EXISTS events_are_never_deleted BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: an event cannot be deleted'); END""");
            s.executeUpdate("PRAGMA user_version = " + VERSION);
        }
    }

    /**
     * Rows are read as the UTF-8 bytes SQLite stores. Every file the engine creates is UTF-8,
     * SQLite's default, and a file's encoding never changes; one made otherwise is refused.
     */
    private static void checkEncoding(Statement s) throws SQLException {
        try (ResultSet encoding = s.executeQuery("PRAGMA encoding")) {
            if (!encoding.next() || !encoding.getString(1).equals("UTF-8")) {
                throw new SQLException("the log's text encoding is not UTF-8");
            }
        }
    }
}
