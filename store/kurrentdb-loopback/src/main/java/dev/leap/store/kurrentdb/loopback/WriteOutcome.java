package dev.leap.store.kurrentdb.loopback;

import java.util.List;

/** How a write of one or more streams ended; the names follow KurrentDB's own messages. */
sealed interface WriteOutcome {

    /**
     * The events were written ({@code WriteEventsCompleted: Success}).
     *
     * @param lastRevisions per stream of the write, the revision of its last event
     * @param position      the position of the last event written
     */
    record Written(List<Long> lastRevisions, long position) implements WriteOutcome {
    }

    /** The write repeats one already in the log; nothing new was written ({@code AlreadyCommitted}). */
    record AlreadyCommitted(List<Long> lastRevisions, long position) implements WriteOutcome {
    }

    /**
     * Nothing was written because a stream was not as expected ({@code WrongExpectedVersion}).
     *
     * @param streamIndex    the first stream of the write that failed its check
     * @param currentVersion that stream's last revision, -1 if it has none
     */
    record WrongExpectedVersion(int streamIndex, long currentVersion) implements WriteOutcome {
    }
}
