package dev.leap.store.kurrentdb.loopback;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * KurrentDB's decision about one stream of a write ({@code IndexWriter.CheckCommit}): write it, treat
 * it as a repeat of a write that already happened, or refuse it. Soft-deleted and tombstoned streams,
 * which Leap never makes, are left out.
 */
sealed interface CommitCheck {

    /** The stream's last revision when the check ran, -1 if it had none. */
    long currentVersion();

    /** The events can be written after {@code currentVersion}. */
    record Ok(long currentVersion) implements CommitCheck {
    }

    /** Every event is already in the stream: the write is a retry of an earlier one. */
    record Idempotent(long currentVersion, long firstRevision, long lastRevision, long lastPosition) implements CommitCheck {
    }

    /** The stream is not as expected (a conflict, or only some of the events were written before). */
    record Failed(long currentVersion) implements CommitCheck {
    }

    static CommitCheck of(Log log, StreamWrite write) {
        String stream = write.stream();
        long expected = write.expectedVersion();
        List<UUID> ids = write.events().stream().map(ProposedEvent::id).toList();
        long current = log.lastRevision(stream);
        if (expected == StreamWrite.STREAM_EXISTS && current < 0) {
            return new Failed(current);
        }
        if (expected == StreamWrite.ANY || expected == StreamWrite.STREAM_EXISTS) {
            return weakIdempotency(log, stream, ids, current);
        }
        if (expected < current) {
            return strongIdempotency(log, stream, ids, expected, current);
        }
        return expected > current ? new Failed(current) : new Ok(current);
    }

    /** Without a revision to look at, KurrentDB looks the ids up among recently written events. */
    private static CommitCheck weakIdempotency(Log log, String stream, List<UUID> ids, long current) {
        StoredEvent first = null;
        StoredEvent last = null;
        for (UUID id : ids) {
            Optional<StoredEvent> recent = log.recent(id).filter(event -> event.stream().equals(stream));
            if (recent.isEmpty()) {
                return first == null ? new Ok(current) : new Failed(current);
            }
            first = first == null ? recent.get() : first;
            last = recent.get();
        }
        return last == null ? new Ok(current) : new Idempotent(current, first.revision(), last.revision(), last.position());
    }

    /** Expecting an earlier revision, the events must be exactly the ones right after it. */
    private static CommitCheck strongIdempotency(Log log, String stream, List<UUID> ids, long expected, long current) {
        long revision = expected;
        StoredEvent last = null;
        for (UUID id : ids) {
            revision++;
            Optional<StoredEvent> there = log.eventAt(stream, revision).filter(event -> event.id().equals(id));
            if (there.isEmpty()) {
                return new Failed(current);
            }
            last = there.get();
        }
        return last == null ? new Failed(current) : new Idempotent(current, expected + 1, revision, last.position());
    }
}
