package dev.leap.store.embedded.bench;

import dev.leap.store.EventData;
import dev.leap.store.embedded.SqliteEventLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The baseline the engine's batched appends are measured against: the same rows inserted with
 * plain sqlite-jdbc into the same table, with the same durability settings, one transaction per
 * batch. It does only what SQLite must do; no revision check, no id lookup, no hashing.
 */
final class RawInserts {

    private static final String PLACEHOLDER_HASH = "0".repeat(64);

    private RawInserts() {
    }

    /** Inserts the batches into a new log file at {@code file}; returns events per second. */
    static double eventsPerSecond(Path file, List<List<EventData>> batches) {
        // The engine creates the file, so that the table, its indexes and its triggers are its own.
        SqliteEventLog.open(file, Clock.systemUTC()).close();
        try (Connection connection = open(file);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO events (position, stream, "
                        + "revision, id, type, data, metadata, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            connection.setAutoCommit(false);
            long position = 0;
            long start = System.nanoTime();
            for (int b = 0; b < batches.size(); b++) {
                String stream = "bulk-" + b;
                long revision = 0;
                for (EventData event : batches.get(b)) {
                    insert.setLong(1, position++);
                    insert.setString(2, stream);
                    insert.setLong(3, revision++);
                    insert.setString(4, event.id().toString());
                    insert.setString(5, event.type());
                    insert.setString(6, event.data());
                    insert.setString(7, event.metadata());
                    insert.setLong(8, System.currentTimeMillis() * 1_000);
                    insert.setString(9, PLACEHOLDER_HASH);
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            }
            return position / ((System.nanoTime() - start) / 1e9);
        } catch (SQLException e) {
            throw new IllegalStateException("the raw sqlite-jdbc baseline failed: " + e.getMessage(), e);
        }
    }

    /**
     * A connection with the settings SqliteEventLog uses (WAL, synchronous=FULL, immediate
     * transactions, a checkpoint every 10,000 pages), so that the ratio shows what the engine
     * itself costs and not a difference in settings.
     */
    private static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "10000");
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return dataSource.getConnection();
    }
}
