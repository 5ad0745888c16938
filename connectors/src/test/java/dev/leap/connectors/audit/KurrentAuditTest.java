package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.store.kurrentdb.KurrentEventLog;
import dev.leap.store.kurrentdb.loopback.LoopbackKurrentDB;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./leap audit --kurrentdb}: the same turns, written once to a KurrentDB (the loopback server
 * speaking its protocol) and once to the embedded file, read back alike.
 */
class KurrentAuditTest {

    static LoopbackKurrentDB kurrentdb;

    @BeforeAll
    static void start_kurrentdb() {
        kurrentdb = LoopbackKurrentDB.start();
    }

    @AfterAll
    static void stop_kurrentdb() {
        kurrentdb.close();
    }

    @Test
    void the_commands_read_a_kurrentdb_log_as_they_read_the_embedded_one(@TempDir Path directory) {
        try (KurrentEventLog kurrent = KurrentEventLog.connect(kurrentdb.connectionString());
                SqliteEventLog embedded = SqliteEventLog.openIn(directory)) {
            new SyntheticLog(kurrent, 3).write(300, count -> { });
            new SyntheticLog(embedded, 3).write(300, count -> { });
            String turn = firstTurnWithChanges(kurrent);
            String record = kurrent.readAll(0, 1_000).stream().filter(e -> e.stream().startsWith("record-")).findFirst()
                    .orElseThrow().stream().substring("record-".length());

            AuditCommandTest.Run turns = audit("turns", "--limit", "100", "--kurrentdb", kurrentdb.connectionString());
            AuditCommandTest.Run show = audit("show", turn, "--kurrentdb", kurrentdb.connectionString());
            AuditCommandTest.Run history = audit("history", record, "--kurrentdb", kurrentdb.connectionString());
            AuditCommandTest.Run verify = audit("verify", "--kurrentdb", kurrentdb.connectionString());
            AuditCommandTest.Run turnsThere = audit("turns", "--limit", "100", "--data-dir", directory.toString());

            assertThat(show.exit()).as(show.err()).isZero();
            assertThat(show.out()).contains("Turn " + turn + " (message, completed)", "  tool call  ", "  changes    ");
            assertThat(history.out()).contains("Record " + record, "      turn ");
            assertThat(verify.exit()).isZero();
            assertThat(verify.out()).startsWith("The hash chain is intact");
            // Ids and times differ between the two logs; what the turns said and did does not.
            assertThat(shape(turns.out())).hasSizeGreaterThan(10).isEqualTo(shape(turnsThere.out()));
        }
    }

    private static String firstTurnWithChanges(KurrentEventLog log) {
        for (RecordedEvent event : log.readAll(0, 1_000)) {
            if (event.type().equals("TurnCompleted") && !event.data().contains("\"changes\":[]")) {
                return event.stream().substring("turn-".length());
            }
        }
        throw new AssertionError("no turn changed anything");
    }

    /** The timeline's lines without their times and ids. */
    private static java.util.List<String> shape(String timeline) {
        return timeline.lines().filter(line -> !line.startsWith("more:"))
                .map(line -> line.substring(line.indexOf("  ", line.indexOf("  ") + 2) + 2)).toList();
    }

    private static AuditCommandTest.Run audit(String... args) {
        return AuditCommandTest.audit(Map.of(), args);
    }
}
