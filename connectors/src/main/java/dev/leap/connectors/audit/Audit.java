package dev.leap.connectors.audit;

import java.io.OutputStream;

/**
 * What an auditor can ask of Leap: the timeline of turns, the account of one turn, the log itself,
 * the chain's verification, the records as of any point and what changed between two, a record's
 * history, an export, and a revert. The questions are answered from the log itself ({@link LogAudit},
 * inside the service or over a data directory or KurrentDB opened directly) or by a running service
 * over HTTP ({@link HttpAudit}), with the same records either way.
 */
public interface Audit {

    /** Turns, newest first, reading back from position {@code before} ({@link Long#MAX_VALUE}: the end). */
    TimelinePage timeline(long before, int limit);

    /** The account of a turn named by its id, or the start of the id of one that changed something. */
    TurnAccount turn(String idOrPrefix, int changesFrom, int changesLimit);

    /** Reverts a turn with compensating events, as the auditor, and gives the account of the revert. */
    TurnAccount revert(String idOrPrefix);

    LogPage log(LogQuery query);

    /** Walks the hash chain from the first event. */
    ChainReport verify();

    /** The records as they stood at {@code at}, or now if it is null. */
    RecordsPage records(PointInLog at, String collection, int offset, int limit);

    /** What changed in the records from one point to another. */
    RecordDiff diff(PointInLog from, PointInLog to, int offset, int limit);

    /** Every event of one record, with the turn and message behind each, from a revision on. */
    HistoryPage history(String recordId, long fromRevision, int limit);

    /**
     * Writes the events from position {@code from} to {@code to} (both inclusive) as JSON Lines, and
     * returns how many it wrote.
     */
    long export(long from, long to, OutputStream out);
}
