package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.records.Checkpoints;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.undo.TurnIndex;
import dev.leap.tools.undo.UndoService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy of a data directory replays to the very state of the original, over turns of every kind. */
class ReplayTest {

    @TempDir
    Path directory;

    @Test
    void a_copied_data_directory_rebuilds_the_same_records_turn_index_and_accounts_from_its_events_alone() throws Exception {
        Path dataDir = SyntheticLogs.copyInto(directory.resolve("original"));
        try (SqliteEventLog log = SqliteEventLog.openIn(dataDir)) {
            Checkpoints checkpoints = new Checkpoints(dataDir.resolve("projections"), 20);
            RecordProjection records = new RecordProjection(log, checkpoints);
            TurnIndex turns = new TurnIndex(log);
            LogAudit audit = new LogAudit(log, checkpoints, () -> turns, () -> new UndoService(log, records, turns));
            records.checkpoint();
            // The auditor reverts two turns and then one of the reverts, while the projections follow the log.
            List<String> standing = audit.timeline(Long.MAX_VALUE, 100).turns().stream()
                    .filter(turn -> turn.changes() > 0 && turn.stands())
                    .map(TimelinePage.TurnSummary::turnId)
                    .toList();
            audit.revert(standing.get(0));
            String revert = audit.revert(standing.get(1)).turnId();
            audit.revert(revert);

            Path copy = Replay.copy(dataDir, Files.createDirectories(directory.resolve("copy")));

            try (SqliteEventLog copied = SqliteEventLog.openIn(copy)) {
                assertThat(copied.lastPosition()).isEqualTo(log.lastPosition());
                Replay.assertTheCopyReplaysToTheSameState(log, records, turns, audit, copied);
            }
        }
    }
}
