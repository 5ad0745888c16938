package dev.leap.store.kurrentdb.loopback;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes to one or more streams atomically, as KurrentDB's storage writer does
 * ({@code StorageWriterService.WritePrepares} and {@code VerifyCommitChecks}): every stream is
 * checked, and the events are appended only if every check passed. If every stream turns out to be a
 * repeat of an earlier write, the earlier write's result is returned; a mix of repeats and new
 * events is refused like a conflict.
 */
final class Writer {

    private final Log log;

    Writer(Log log) {
        this.log = log;
    }

    WriteOutcome write(List<StreamWrite> writes) {
        synchronized (log) {
            List<CommitCheck> checks = writes.stream().map(write -> CommitCheck.of(log, write)).toList();
            if (checks.stream().allMatch(CommitCheck.Ok.class::isInstance)) {
                return append(writes);
            }
            if (checks.stream().allMatch(CommitCheck.Idempotent.class::isInstance)) {
                List<Long> lastRevisions = new ArrayList<>();
                long position = Long.MIN_VALUE;
                for (CommitCheck check : checks) {
                    CommitCheck.Idempotent repeat = (CommitCheck.Idempotent) check;
                    lastRevisions.add(repeat.lastRevision());
                    position = Math.max(position, repeat.lastPosition());
                }
                return new WriteOutcome.AlreadyCommitted(lastRevisions, position);
            }
            for (int i = 0; i < checks.size(); i++) {
                if (!(checks.get(i) instanceof CommitCheck.Ok)) {
                    return new WriteOutcome.WrongExpectedVersion(i, checks.get(i).currentVersion());
                }
            }
            throw new IllegalStateException("a check that is neither ok nor refused: " + checks);
        }
    }

    private WriteOutcome append(List<StreamWrite> writes) {
        List<String> streamOfEach = new ArrayList<>();
        List<ProposedEvent> events = new ArrayList<>();
        for (StreamWrite write : writes) {
            for (ProposedEvent event : write.events()) {
                streamOfEach.add(write.stream());
                events.add(event);
            }
        }
        List<StoredEvent> written = log.append(streamOfEach, events);
        List<Long> lastRevisions = writes.stream().map(write -> log.lastRevision(write.stream())).toList();
        return new WriteOutcome.Written(lastRevisions, written.isEmpty() ? log.end() : written.getLast().position());
    }
}
