package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.EventLog;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.undo.TurnIndex;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaying a copy of a log: every projection rebuilt from position 0 on the copy must equal the
 * original's, kept up incrementally; and the auditor's account of every turn, read from the copy's
 * stored events alone, must equal the account read from the original.
 */
final class Replay {

    private Replay() {
    }

    /** Copies a live embedded log, consistently, as a backup would: SQLite's {@code VACUUM INTO}. */
    static Path copy(Path dataDir, Path into) throws SQLException {
        Path copy = into.resolve(SqliteEventLog.FILE_NAME);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteEventLog.FILE_NAME));
                Statement statement = connection.createStatement()) {
            statement.execute("VACUUM INTO '" + copy + "'");
        }
        return into;
    }

    /**
     * @param original the log the service (or test) has been keeping
     * @param records  the original's record projection, folded incrementally as events were appended
     * @param turns    the original's undo index, likewise
     * @param audit    the auditor's view of the original
     * @param copy     the copied log, not yet read by anything
     */
    static void assertTheCopyReplaysToTheSameState(EventLog original, RecordProjection records, TurnIndex turns, Audit audit,
            EventLog copy) {
        RecordProjection rebuilt = new RecordProjection(copy);
        TurnIndex rebuiltTurns = new TurnIndex(copy);
        LogAudit copied = new LogAudit(copy, null, () -> rebuiltTurns, () -> null);

        assertThat(rebuilt.snapshot()).isNotEmpty().isEqualTo(records.snapshot());
        List<String> allTurns = turns(audit);
        assertThat(turns(copied)).isEqualTo(allTurns);
        for (String turn : allTurns) {
            assertThat(rebuiltTurns.changesOf(turn)).as(turn).isEqualTo(turns.changesOf(turn));
            assertThat(rebuiltTurns.stands(turn)).as(turn).isEqualTo(turns.stands(turn));
            assertThat(copied.turn(turn, 0, TurnAccounts.MAX_CHANGES)).as(turn)
                    .isEqualTo(audit.turn(turn, 0, TurnAccounts.MAX_CHANGES));
        }
        for (String record : recordIds(original)) {
            assertThat(rebuiltTurns.historyOf(record)).as(record).isEqualTo(turns.historyOf(record));
            assertThat(copied.history(record, 0, RecordHistory.MAX_LIMIT)).as(record)
                    .isEqualTo(audit.history(record, 0, RecordHistory.MAX_LIMIT));
        }
        long last = original.lastPosition().orElseThrow();
        for (long position : new long[] {0, last / 3, last / 2, last}) {
            PointInLog at = new PointInLog.Position(position);
            assertThat(copied.records(at, null, 0, RecordsAsOf.MAX_LIMIT)).isEqualTo(audit.records(at, null, 0, RecordsAsOf.MAX_LIMIT));
        }
    }

    /** Every turn in the timeline, newest first. */
    private static List<String> turns(Audit audit) {
        List<String> all = new ArrayList<>();
        Long next = Long.MAX_VALUE;
        while (next != null) {
            TimelinePage page = audit.timeline(next, Timeline.MAX_LIMIT);
            page.turns().forEach(turn -> all.add(turn.turnId()));
            next = page.next();
        }
        return all;
    }

    private static Set<String> recordIds(EventLog log) {
        Set<String> ids = new LinkedHashSet<>();
        long next = 0;
        while (true) {
            List<RecordedEvent> page = log.readAll(next, 1_000);
            page.stream().filter(e -> e.stream().startsWith("record-")).forEach(e -> ids.add(e.stream().substring(7)));
            if (page.size() < 1_000) {
                return ids;
            }
            next = page.getLast().position() + 1;
        }
    }
}
