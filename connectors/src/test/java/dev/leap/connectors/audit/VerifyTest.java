package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.embedded.SqliteEventLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verification names the first event that does not link, when someone went around the triggers. */
class VerifyTest {

    @TempDir
    Path directory;

    @Test
    void a_changed_event_is_named_by_its_position_and_the_command_exits_with_3() throws SQLException {
        Path dataDir = SyntheticLogs.copyInto(directory);
        sql(dataDir, "DROP TRIGGER events_are_never_updated",
                "UPDATE events SET data = '{\"recordId\":\"forged\"}' WHERE position = 700");

        ChainReport report;
        try (SqliteEventLog log = SqliteEventLog.openIn(dataDir)) {
            report = ChainReport.of(log);
        }
        AuditCommandTest.Run run = AuditCommandTest.audit(Map.of(), "verify", "--data-dir", dataDir.toString());

        assertThat(report.intact()).isFalse();
        assertThat(report.firstBadPosition()).isEqualTo(700);
        assertThat(report.eventsVerified()).isEqualTo(700);
        assertThat(report.firstBadEvent().position()).isEqualTo(700);
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).startsWith("The chain breaks at position 700 (" + report.firstBadEvent().type() + " in "
                + report.firstBadEvent().stream() + ", revision " + report.firstBadEvent().revision() + ")")
                .contains("It carries hash " + report.storedHash() + ", but the events before it and its own content give "
                        + report.expectedHash())
                .contains("The 700 events before it link correctly.");
        assertThat(report.expectedHash()).isNotEqualTo(report.storedHash()).hasSize(64);
        assertThat(report.lastVerifiedPosition()).isEqualTo(699);
    }

    @Test
    void a_removed_event_breaks_the_chain_at_the_event_after_it() throws SQLException {
        Path dataDir = SyntheticLogs.copyInto(directory);
        sql(dataDir, "DROP TRIGGER events_are_never_deleted", "DELETE FROM events WHERE position = 500");

        try (SqliteEventLog log = SqliteEventLog.openIn(dataDir)) {
            ChainReport report = ChainReport.of(log);

            assertThat(report.firstBadPosition()).isEqualTo(501);
            assertThat(report.eventsVerified()).isEqualTo(500);
        }
    }

    private static void sql(Path dataDir, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteEventLog.FILE_NAME));
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.executeUpdate(sql);
            }
        }
    }
}
