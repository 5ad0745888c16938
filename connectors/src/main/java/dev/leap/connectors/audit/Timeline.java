package dev.leap.connectors.audit;

import dev.leap.connectors.audit.AuditEvent.RevertRequested;
import dev.leap.connectors.audit.TimelinePage.TurnSummary;
import dev.leap.store.Direction;
import dev.leap.store.EventLog;
import dev.leap.store.RecordedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The turns, newest first: the log read backwards from its end (or from a cursor) for the events
 * that begin a turn, each summarised from its own stream. A page reads back only as far as it needs,
 * and never more than {@link #SCAN_BUDGET} events: where turns are sparse a page may come back short,
 * with a cursor to go on from.
 */
public final class Timeline {

    public static final int MAX_LIMIT = 100;
    static final int SCAN_BUDGET = 20_000;
    private static final int READ = 256;

    private final EventLog log;
    private final TurnAccounts accounts;

    public Timeline(EventLog log, TurnAccounts accounts) {
        this.log = log;
        this.accounts = accounts;
    }

    /**
     * @param before the position to read back from, inclusive; {@link Long#MAX_VALUE} for the newest
     * @param limit  how many turns at most, up to {@link #MAX_LIMIT}
     */
    public TimelinePage page(long before, int limit) {
        if (before < 0) {
            throw new IllegalArgumentException("'before' is a position, 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("'limit' is between 1 and " + MAX_LIMIT);
        }
        Standing standing = new Standing(log);
        List<TurnSummary> turns = new ArrayList<>();
        long from = before;
        int scanned = 0;
        while (scanned < SCAN_BUDGET) {
            List<RecordedEvent> page = log.readAll(from, READ, Direction.BACKWARDS);
            for (RecordedEvent event : page) {
                scanned++;
                from = event.position() - 1;
                if (beginsTurn(event)) {
                    turns.add(accounts.summary(UUID.fromString(event.stream().substring("turn-".length())), standing));
                    if (turns.size() == limit) {
                        return new TimelinePage(turns, from < 0 ? null : from);
                    }
                }
            }
            if (page.size() < READ || from < 0) {
                return new TimelinePage(turns, null);
            }
        }
        return new TimelinePage(turns, from);
    }

    /** A turn begins with a TurnStarted (as TurnEventCodec stores it) or an auditor's RevertRequested. */
    private static boolean beginsTurn(RecordedEvent event) {
        return event.stream().startsWith("turn-") && TurnIds.parse(event.stream().substring("turn-".length())) != null
                && (event.type().equals("TurnStarted") || event.type().equals(RevertRequested.TYPE));
    }
}
