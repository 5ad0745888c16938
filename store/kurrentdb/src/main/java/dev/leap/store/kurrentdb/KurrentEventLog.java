package dev.leap.store.kurrentdb;

import dev.leap.store.AppendResult;
import dev.leap.store.Direction;
import dev.leap.store.EventData;
import dev.leap.store.EventIdConflictException;
import dev.leap.store.EventLog;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.RecordedEvent;
import dev.leap.store.StorageException;
import dev.leap.store.StreamName;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBClientSettings;
import io.kurrent.dbclient.KurrentDBConnectionString;
import io.kurrent.dbclient.ReadStreamOptions;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The log in KurrentDB (25.1 or later), through the official Java client. Leap's streams are
 * KurrentDB streams of the same name and Leap's event ids are KurrentDB's event ids.
 *
 * <p>Every append is one atomic multi-stream append of three parts: the events, with Leap's envelope
 * (position, time, hash, metadata) in their properties; one claim per event id, in a stream of its
 * own that must not exist yet; and one link in a chain stream, at the revision the append was
 * planned against. The chain stream is the single point every writer must pass, so appends are
 * serialised across threads, processes and machines: two writers can never link to the same
 * predecessor, and the hash chain cannot fork. The claims make an event id unique in the whole log,
 * which is what lets a retried append find its original result.
 *
 * <p>Bookkeeping streams start with {@code _} and KurrentDB's own with {@code $}; neither is part
 * of the log, and reading the whole log skips them. An event in one of Leap's streams that Leap did
 * not write is reported as a {@link dev.leap.store.StorageException}, never skipped.
 *
 * <p>Positions are Leap's own (see {@link Positions}), not KurrentDB's byte offsets: a reader may
 * start anywhere, including at {@code position + 1}. On a secured cluster, connect as a user that may
 * read {@code $all} and write streams (an administrator can).
 */
public final class KurrentEventLog implements EventLog {

    private static final UUID NIL = new UUID(0, 0);

    private final KurrentConnection connection;
    private final Appender appender;
    private final LogReader logReader;

    private KurrentEventLog(KurrentConnection connection, Clock clock) {
        this.connection = connection;
        this.appender = new Appender(connection, clock);
        this.logReader = new LogReader(connection);
    }

    /**
     * Connects to the KurrentDB that {@code connectionString} names, e.g.
     * {@code kurrentdb://localhost:2113?tls=false}, and checks that it answers.
     *
     * @throws IllegalArgumentException          if the connection string is malformed
     * @throws dev.leap.store.StorageException if KurrentDB cannot be reached, or is older than 25.1
     */
    public static KurrentEventLog connect(String connectionString) {
        return connect(connectionString, Clock.systemUTC());
    }

    /** As {@link #connect(String)}, stamping events with {@code clock}. */
    public static KurrentEventLog connect(String connectionString, Clock clock) {
        Objects.requireNonNull(connectionString, "connectionString");
        Objects.requireNonNull(clock, "clock");
        KurrentDBClientSettings settings;
        try {
            settings = KurrentDBConnectionString.parseOrThrow(connectionString);
        } catch (RuntimeException e) {
            // The message does not repeat the string: it may hold a password.
            throw new IllegalArgumentException("not a KurrentDB connection string: " + e.getMessage(), e);
        }
        KurrentConnection connection = new KurrentConnection(KurrentDBClient.create(settings), endpoint(settings));
        try {
            // Fail now, not at the first append.
            connection.checkServer();
            connection.await(connection.chainHead(), "cannot open the event log");
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        return new KurrentEventLog(connection, clock);
    }

    @Override
    public AppendResult append(String stream, ExpectedRevision expected, List<EventData> events) {
        StreamName.check(stream);
        Objects.requireNonNull(expected, "expected");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an append needs at least one event");
        }
        if (events.size() > Positions.MAX_EVENTS_PER_APPEND) {
            throw new IllegalArgumentException("an append holds at most " + Positions.MAX_EVENTS_PER_APPEND
                    + " events, not " + events.size());
        }
        checkDistinctIds(stream, events);
        return appender.append(stream, expected, List.copyOf(events));
    }

    @Override
    public List<RecordedEvent> readStream(String stream, long fromRevision, int maxCount, Direction direction) {
        StreamName.check(stream);
        checkCount(maxCount);
        if (maxCount == 0 || (direction == Direction.BACKWARDS && fromRevision < 0)) {
            return List.of();
        }
        ReadStreamOptions options = ReadStreamOptions.get().maxCount(maxCount);
        options = switch (direction) {
            case FORWARDS -> options.forwards().fromRevision(Math.max(fromRevision, 0));
            case BACKWARDS -> fromRevision == Long.MAX_VALUE
                    ? options.backwards().fromEnd()
                    : options.backwards().fromRevision(fromRevision);
        };
        return connection.readStreamNow(stream, options).stream()
                .map(resolved -> StoredEvents.toLeap(resolved.getOriginalEvent()))
                .toList();
    }

    @Override
    public List<RecordedEvent> readAll(long fromPosition, int maxCount, Direction direction) {
        checkCount(maxCount);
        if (maxCount == 0) {
            return List.of();
        }
        return switch (direction) {
            case FORWARDS -> logReader.forwards(fromPosition, maxCount);
            case BACKWARDS -> logReader.backwards(fromPosition, maxCount);
        };
    }

    /**
     * The event's claim says where it landed, so finding it is two stream reads however long the log.
     * A claim whose event is not where it says was written around Leap, and is reported.
     */
    @Override
    public Optional<RecordedEvent> readEvent(UUID id) {
        Objects.requireNonNull(id, "id");
        Optional<IdClaim> claim = connection.await(connection.claimOf(id), "cannot read event " + id);
        if (claim.isEmpty()) {
            return Optional.empty();
        }
        String stream = claim.get().stream();
        RecordedEvent event = readStream(stream, claim.get().revision(), 1, Direction.FORWARDS).stream()
                .filter(found -> found.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new StorageException("the claim of event id " + id + " points at revision "
                        + claim.get().revision() + " of stream '" + stream + "', which does not hold it: the database"
                        + " was changed around Leap", null));
        return Optional.of(event);
    }

    @Override
    public void close() {
        connection.close();
    }

    private static void checkDistinctIds(String stream, List<EventData> events) {
        Set<UUID> ids = new HashSet<>();
        for (EventData event : events) {
            if (event.id().equals(NIL)) {
                throw new IllegalArgumentException("KurrentDB refuses the nil UUID as an event id");
            }
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

    private static String endpoint(KurrentDBClientSettings settings) {
        return Arrays.stream(settings.getHosts())
                .map(host -> host.getHost() + ":" + host.getPort())
                .collect(Collectors.joining(","));
    }
}
