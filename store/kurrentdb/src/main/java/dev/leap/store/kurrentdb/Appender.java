package dev.leap.store.kurrentdb;

import dev.leap.store.AppendResult;
import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.StorageException;
import dev.leap.store.WrongExpectedRevisionException;
import io.kurrent.dbclient.WrongExpectedVersionException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends by optimistic concurrency on the whole log: take a {@link Snapshot}, plan the write against
 * it, and let KurrentDB accept the plan only if the snapshot still holds. When another writer got
 * there first (another Leap process, or this one on another thread), the chain has moved: look again
 * and re-plan. Every refusal means some other append landed, so the log as a whole always progresses.
 *
 * <p>The appends of one engine take turns: racing each other for the chain would only make them
 * re-plan. Races are left to writers in other processes.
 */
final class Appender {

    /** How often one append re-plans after losing a race before it gives up. */
    static final int MAX_ATTEMPTS = 100;

    private final KurrentConnection connection;
    private final Clock clock;
    private final ReentrantLock turn = new ReentrantLock(true);

    Appender(KurrentConnection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    AppendResult append(String stream, ExpectedRevision expected, List<EventData> events) {
        turn.lock();
        try {
            return appendInTurn(stream, expected, events);
        } finally {
            turn.unlock();
        }
    }

    private AppendResult appendInTurn(String stream, ExpectedRevision expected, List<EventData> events) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Snapshot snapshot = Snapshot.take(connection, stream, events);
            Optional<AppendResult> earlier = snapshot.earlierAppend(stream, events);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            if (!expected.admits(snapshot.lastRevision())) {
                throw new WrongExpectedRevisionException(stream, expected, snapshot.lastRevision());
            }
            AppendPlan plan = AppendPlan.of(stream, events, snapshot, clock.instant());
            try {
                connection.appendAtomically(plan.requests(), "cannot append to stream '" + stream + "'");
                return plan.result();
            } catch (WrongExpectedVersionException moved) {
                // The stream, the chain or an id claim changed since the snapshot: nothing was written.
            } catch (StorageException unknown) {
                return landedAnyway(stream, events, unknown);
            }
        }
        throw new StorageException("cannot append to stream '" + stream + "': other writers moved the log "
                + MAX_ATTEMPTS + " times in a row", null);
    }

    /**
     * After a failure that leaves the outcome unknown (a lost reply, a timeout), the claims tell
     * whether the append landed: if it did, its result is returned as for any retry.
     */
    private AppendResult landedAnyway(String stream, List<EventData> events, StorageException failure) {
        try {
            Optional<AppendResult> landed = Snapshot.take(connection, stream, events).earlierAppend(stream, events);
            if (landed.isPresent()) {
                return landed.get();
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        throw failure;
    }
}
