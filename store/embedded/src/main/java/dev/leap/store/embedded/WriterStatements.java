package dev.leap.store.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements every append runs, prepared once on the writer connection instead of on every
 * append. Used only under the engine's write lock, like the connection itself.
 */
final class WriterStatements implements AutoCloseable {

    static final String LAST_REVISION = "SELECT MAX(revision) FROM events WHERE stream = ?";

    /** The stream, revision and position of the event with an id. */
    final PreparedStatement findId;
    /** The last revision of a stream; NULL when it has no events. */
    final PreparedStatement lastRevision;
    /** Position, hash and time of the newest event. */
    final PreparedStatement tail;
    final PreparedStatement insert;

    private final List<PreparedStatement> all = new ArrayList<>();

    WriterStatements(Connection writer) throws SQLException {
        try {
            findId = prepare(writer, "SELECT stream, revision, position FROM events WHERE id = ?");
            lastRevision = prepare(writer, LAST_REVISION);
            tail = prepare(writer, "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1");
            insert = prepare(writer, "INSERT INTO events (" + Rows.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private PreparedStatement prepare(Connection writer, String sql) throws SQLException {
        PreparedStatement statement = writer.prepareStatement(sql);
        all.add(statement);
        return statement;
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement statement : all) {
            statement.close();
        }
    }
}
