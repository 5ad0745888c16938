package dev.leap.store.embedded;

import dev.leap.store.AppendResult;
import dev.leap.store.Direction;
import dev.leap.store.EventData;
import dev.leap.store.EventIdConflictException;
import dev.leap.store.EventLog;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.HashChain;
import dev.leap.store.RecordedEvent;
import dev.leap.store.StorageException;
import dev.leap.store.StreamName;
import dev.leap.store.WrongExpectedRevisionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * The embedded engine: the whole log in one SQLite file. Appends are serialised through one writer
 * connection and committed with {@code synchronous=FULL} in WAL mode, so an append that returned
 * survives a crash or power loss. Triggers make UPDATE and DELETE of an event fail inside SQLite
 * itself, whoever opens the file; the hash chain shows any change made by going around them.
 */
public final class SqliteEventLog implements EventLog {

    /** The log's file name inside a data directory. */
    public static final String FILE_NAME = "events.db";

    static final int CHECKPOINT_PAGES = 10_000;

    private final Path file;
    private final Clock clock;
    private final Connection writer;
    private final WriterStatements statements;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    /** Subscriptions of this process wait on it and are woken when an append commits. */
    private final Object appended = new Object();

    private SqliteEventLog(Path file, Clock clock) throws SQLException {
        this.file = file;
        this.clock = clock;
        this.writer = open(file);
        try {
            Schema.create(writer);
            this.statements = new WriterStatements(writer);
            this.reader = open(file);
        } catch (SQLException | RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /** Opens the log in {@code directory}, creating the directory and the file if needed. */
    public static SqliteEventLog openIn(Path directory) {
        return open(directory.resolve(FILE_NAME), Clock.systemUTC());
    }

    /** Opens (or creates) the log stored in {@code file}, stamping events with {@code clock}. */
    public static SqliteEventLog open(Path file, Clock clock) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new SqliteEventLog(file, clock);
        } catch (IOException | SQLException e) {
            throw new StorageException("cannot open the event log at " + file + ": " + e.getMessage(), e);
        }
    }

    /** The SQLite file holding the log. */
    public Path file() {
        return file;
    }

    @Override
    public AppendResult append(String stream, ExpectedRevision expected, List<EventData> events) {
        StreamName.check(stream);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an append needs at least one event");
        }
        checkDistinctIds(stream, events);
        writeLock.lock();
        try {
            return appendLocked(stream, expected, events);
        } catch (SQLException e) {
            throw new StorageException("cannot append to stream '" + stream + "': " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private AppendResult appendLocked(String stream, ExpectedRevision expected, List<EventData> events)
            throws SQLException {
        writer.setAutoCommit(false);
        try {
            AppendResult earlier = earlierAppend(stream, events);
            if (earlier != null) {
                writer.rollback();
                return earlier;
            }
            long actual = lastRevision(statements.lastRevision, stream);
            if (!expected.admits(actual)) {
                throw new WrongExpectedRevisionException(stream, expected, actual);
            }
            // The tail is read inside the write transaction, so another process appending to the
            // same file (an auditor's revert, say) can never fork the chain.
            Tail tail = tail();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            if (now.isBefore(tail.recordedAt())) {
                now = tail.recordedAt(); // time never runs backwards in the log, even when the clock does
            }
            long firstPosition = tail.nextPosition();
            long position = firstPosition;
            long revision = actual + 1;
            String hash = tail.hash();
            PreparedStatement insert = statements.insert;
            for (EventData event : events) {
                hash = HashChain.link(hash, stream, revision, event.id(), event.type(), event.data(),
                        event.metadata(), now);
                insert.setLong(1, position);
                insert.setString(2, stream);
                insert.setLong(3, revision);
                insert.setString(4, event.id().toString());
                insert.setString(5, event.type());
                insert.setString(6, event.data());
                insert.setString(7, event.metadata());
                insert.setLong(8, HashChain.epochMicros(now));
                insert.setString(9, hash);
                insert.addBatch();
                position++;
                revision++;
            }
            insert.executeBatch();
            writer.commit();
            synchronized (appended) {
                appended.notifyAll();
            }
            return new AppendResult(stream, actual + 1, revision - 1, firstPosition, position - 1);
        } catch (SQLException | RuntimeException e) {
            statements.insert.clearBatch(); // the statement outlives this append; its rows must not
            writer.rollback();
            throw e;
        } finally {
            writer.setAutoCommit(true);
        }
    }

    /**
     * The result of the append that already recorded these event ids, or null if none of them is
     * in the log. A partial overlap is a conflict: the caller is not simply retrying.
     */
    private AppendResult earlierAppend(String stream, List<EventData> events) throws SQLException {
        List<long[]> found = new ArrayList<>();
        PreparedStatement select = statements.findId;
        for (int i = 0; i < events.size(); i++) {
            EventData event = events.get(i);
            select.setString(1, event.id().toString());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    if (!found.isEmpty()) {
                        throw new EventIdConflictException(event.id(), stream,
                                "other events of the same append are already in the log, this one is not");
                    }
                    continue;
                }
                if (!row.getString(1).equals(stream)) {
                    throw new EventIdConflictException(event.id(), stream,
                            "the id is already used in stream '" + row.getString(1) + "'");
                }
                if (found.size() < i) {
                    throw new EventIdConflictException(event.id(), stream,
                            "it is already in the log, but earlier events of the same append are not");
                }
                found.add(new long[] {row.getLong(2), row.getLong(3)});
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        return new AppendResult(stream, found.getFirst()[0], found.getLast()[0], found.getFirst()[1], found.getLast()[1]);
    }

    @Override
    public List<RecordedEvent> readStream(String stream, long fromRevision, int maxCount, Direction direction) {
        StreamName.check(stream);
        checkCount(maxCount);
        String sql = direction == Direction.FORWARDS
                ? "SELECT " + Rows.COLUMNS + " FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?"
                : "SELECT " + Rows.COLUMNS + " FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?";
        return query(sql, statement -> {
            statement.setString(1, stream);
            statement.setLong(2, fromRevision);
            statement.setInt(3, maxCount);
        });
    }

    @Override
    public List<RecordedEvent> readAll(long fromPosition, int maxCount, Direction direction) {
        checkCount(maxCount);
        String sql = direction == Direction.FORWARDS
                ? "SELECT " + Rows.COLUMNS + " FROM events WHERE position >= ? ORDER BY position LIMIT ?"
                : "SELECT " + Rows.COLUMNS + " FROM events WHERE position <= ? ORDER BY position DESC LIMIT ?";
        return query(sql, statement -> {
            statement.setLong(1, fromPosition);
            statement.setInt(2, maxCount);
        });
    }

    /** Answered from the unique index on {@code id}. */
    @Override
    public Optional<RecordedEvent> readEvent(UUID id) {
        Objects.requireNonNull(id, "id");
        return query("SELECT " + Rows.COLUMNS + " FROM events WHERE id = ?",
                statement -> statement.setString(1, id.toString())).stream().findFirst();
    }

    @Override
    public long lastRevision(String stream) {
        StreamName.check(stream);
        readLock.lock();
        try {
            try (PreparedStatement select = reader.prepareStatement(WriterStatements.LAST_REVISION)) {
                return lastRevision(select, stream);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read stream '" + stream + "': " + e.getMessage(), e);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Wakes as soon as this process appends; appends by other processes are found when the wait
     * times out, so subscribers see them within {@link dev.leap.store.SubscribeToAll#POLL}.
     */
    @Override
    public void awaitAppend(java.time.Duration timeout) throws InterruptedException {
        synchronized (appended) {
            appended.wait(Math.max(1, timeout.toMillis()));
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        readLock.lock();
        try {
            reader.close();
            statements.close();
            writer.close();
        } catch (SQLException e) {
            throw new StorageException("cannot close the event log at " + file + ": " + e.getMessage(), e);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    private List<RecordedEvent> query(String sql, Binder binder) {
        readLock.lock();
        try (PreparedStatement statement = reader.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                List<RecordedEvent> events = new ArrayList<>();
                while (rows.next()) {
                    events.add(Rows.event(rows));
                }
                return events;
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read the event log at " + file + ": " + e.getMessage(), e);
        } finally {
            readLock.unlock();
        }
    }

    private static long lastRevision(PreparedStatement select, String stream) throws SQLException {
        select.setString(1, stream);
        try (ResultSet row = select.executeQuery()) {
            row.next();
            long revision = row.getLong(1);
            return row.wasNull() ? RecordedEvent.NO_REVISION : revision;
        }
    }

    private Tail tail() throws SQLException {
        try (ResultSet row = statements.tail.executeQuery()) {
            return row.next()
                    ? new Tail(row.getLong(1) + 1, row.getString(2), Rows.instant(row.getLong(3)))
                    : new Tail(0, HashChain.GENESIS, Instant.EPOCH);
        }
    }

    /** Where the next event goes and what it links to. */
    private record Tail(long nextPosition, String hash, Instant recordedAt) {
    }

    private static void checkDistinctIds(String stream, List<EventData> events) {
        Set<UUID> ids = new HashSet<>();
        for (EventData event : events) {
            if (!ids.add(event.id())) {
                throw new EventIdConflictException(event.id(), stream, "the same append carries this id twice");
            }
        }
    }

    private static void checkCount(int maxCount) {
        if (maxCount < 0) {
            throw new IllegalArgumentException("maxCount is 0 or more, not " + maxCount);
        }
    }

    /** A connection to the log's file with the settings that make a returned append durable. */
    static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // Take the write lock when the transaction begins, not half-way through it.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // Checkpoints (copying the WAL into the file) every 10,000 pages, about 40 MB, rather than
        // SQLite's 1,000. Each event dirties a random page of the id index, and a page changed by
        // many appends is then copied once instead of again every 4 MB. Durability comes from the
        // WAL's fsync on every commit, which this leaves alone.
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, String.valueOf(CHECKPOINT_PAGES));
        config.setBusyTimeout(10_000);
        // SQLite's own per-call mutex guards nothing here: each connection is only ever used
        // under this engine's lock for it, and sqlite-jdbc serialises every native call on a
        // connection as well. Without it, reading the whole log is about 15% faster.
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return dataSource.getConnection();
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }
}
