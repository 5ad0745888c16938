package dev.leap.store.kurrentdb;

import dev.leap.store.HashChain;
import dev.leap.store.RecordedEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * Where the chain stands: the revision of its last link, and the hash and time the next append
 * follows. An append is accepted only while the chain is still at this revision.
 *
 * @param revision   the chain stream's last revision, or {@link RecordedEvent#NO_REVISION} before the first append
 * @param hash       the hash of the log's last event, or {@link HashChain#GENESIS}
 * @param recordedAt the time of the log's last event, or the epoch
 */
record ChainHead(long revision, String hash, Instant recordedAt) {

    /** The head of a log that has no events yet. */
    static final ChainHead GENESIS = new ChainHead(RecordedEvent.NO_REVISION, HashChain.GENESIS, Instant.EPOCH);

    ChainHead {
        if (revision < RecordedEvent.NO_REVISION) {
            throw new IllegalArgumentException("a chain revision is -1 or more, not " + revision);
        }
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    static ChainHead after(long revision, ChainLink link) {
        return new ChainHead(revision, link.hash(), link.recordedAt());
    }

    /** The chain revision the next append takes; its events' positions derive from it. */
    long nextRevision() {
        return revision + 1;
    }
}
