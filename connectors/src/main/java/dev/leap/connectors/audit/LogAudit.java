package dev.leap.connectors.audit;

import dev.leap.store.EventLog;
import dev.leap.tools.records.Checkpoints;
import dev.leap.tools.undo.TurnIndex;
import dev.leap.tools.undo.UndoService;
import java.io.OutputStream;
import java.util.function.Supplier;

/** The auditor's questions answered from the log itself. */
public final class LogAudit implements Audit {

    private final EventLog log;
    private final TurnAccounts accounts;
    private final TurnIds turnIds;
    private final Timeline timeline;
    private final LogSearch search;
    private final RecordsAsOf records;
    private final RecordHistory history;
    private final AuditorRevert revert;

    /**
     * @param checkpoints the record projection's saved states, which make "as of" fold less; or null
     * @param turns       the undo index, asked for only to resolve short turn ids and to revert
     * @param undo        asked for only to revert
     */
    public LogAudit(EventLog log, Checkpoints checkpoints, Supplier<TurnIndex> turns, Supplier<UndoService> undo) {
        this.log = log;
        this.accounts = new TurnAccounts(log);
        this.turnIds = new TurnIds(turns);
        this.timeline = new Timeline(log, accounts);
        this.search = new LogSearch(log, accounts);
        this.records = new RecordsAsOf(log, checkpoints);
        this.history = new RecordHistory(log);
        this.revert = new AuditorRevert(log, log, turns, undo);
    }

    @Override
    public TimelinePage timeline(long before, int limit) {
        return timeline.page(before, limit);
    }

    @Override
    public TurnAccount turn(String idOrPrefix, int changesFrom, int changesLimit) {
        return accounts.account(turnIds.resolve(idOrPrefix), changesFrom, changesLimit);
    }

    @Override
    public TurnAccount revert(String idOrPrefix) {
        return accounts.account(revert.revert(idOrPrefix), 0, TurnAccounts.MAX_CHANGES);
    }

    @Override
    public LogPage log(LogQuery query) {
        return search.find(query);
    }

    @Override
    public ChainReport verify() {
        return ChainReport.of(log);
    }

    @Override
    public RecordsPage records(PointInLog at, String collection, int offset, int limit) {
        return records.at(at == null ? new PointInLog.Position(Long.MAX_VALUE) : at, collection, offset, limit);
    }

    @Override
    public RecordDiff diff(PointInLog from, PointInLog to, int offset, int limit) {
        return records.diff(from, to, offset, limit);
    }

    @Override
    public HistoryPage history(String recordId, long fromRevision, int limit) {
        return history.of(recordId, fromRevision, limit);
    }

    @Override
    public long export(long from, long to, OutputStream out) {
        return new JsonLinesExport(log).write(from, to, out);
    }
}
