package dev.leap.connectors.audit;

import dev.leap.store.embedded.SqliteEventLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A log of Leap's own shape for the tests that need many turns of every kind: written once per test
 * run by {@link SyntheticLog} (about 260 turns), then copied into each test's own data directory.
 */
final class SyntheticLogs {

    static final long EVENTS = 1_500;

    private static Path written;

    private SyntheticLogs() {
    }

    /** A data directory of its own in {@code directory}, holding a copy of the log. */
    static synchronized Path copyInto(Path directory) {
        try {
            if (written == null) {
                Path master = Files.createTempDirectory("leap-synthetic-log");
                try (SqliteEventLog log = SqliteEventLog.openIn(master)) {
                    new SyntheticLog(log, 11).write(EVENTS, count -> { });
                }
                written = master.resolve(SqliteEventLog.FILE_NAME);
            }
            Files.createDirectories(directory);
            Files.copy(written, directory.resolve(SqliteEventLog.FILE_NAME));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
