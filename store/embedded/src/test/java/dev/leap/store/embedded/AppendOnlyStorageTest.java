package dev.leap.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.HashChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file itself refuses to change or lose events, whoever opens it. */
class AppendOnlyStorageTest {

    @TempDir
    Path directory;

    Path file;

    @BeforeEach
    void a_log_with_one_event() {
        try (SqliteEventLog log = SqliteEventLog.openIn(directory)) {
            log.append("record-ann", ExpectedRevision.noStream(), EventData.of("RecordCreated", "{\"name\":\"Ann\"}"));
            file = log.file();
        }
    }

    @Test
    void the_log_is_one_file_in_the_data_directory() {
        assertThat(file).isEqualTo(directory.resolve("events.db"));
        assertThat(file).isRegularFile();
    }

    @Test
    void sql_through_jdbc_cannot_update_or_delete_an_event() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE events SET data = '{\"name\":\"Eve\"}'"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM events"))
                    .hasMessageContaining("append-only");
        }
        try (SqliteEventLog log = SqliteEventLog.openIn(directory)) {
            assertThat(log.readStream("record-ann")).singleElement()
                    .satisfies(e -> assertThat(e.data()).isEqualTo("{\"name\":\"Ann\"}"));
            assertThat(HashChain.verify(log).intact()).isTrue();
        }
    }

    @Test
    void the_sqlite3_shell_cannot_update_or_delete_an_event() throws Exception {
        assertThat(onPath("sqlite3")).as("the sqlite3 shell must be installed (.ci/run installs it)").isTrue();

        Shell update = sqlite3("UPDATE events SET type = 'Forged';");
        Shell delete = sqlite3("DELETE FROM events WHERE stream = 'record-ann';");
        Shell count = sqlite3("SELECT count(*) || ' ' || type FROM events;");

        assertThat(update.exitCode()).isNotZero();
        assertThat(update.output()).contains("append-only: an event cannot be updated");
        assertThat(delete.exitCode()).isNotZero();
        assertThat(delete.output()).contains("append-only: an event cannot be deleted");
        assertThat(count.output().strip()).isEqualTo("1 RecordCreated");
    }

    private Shell sqlite3(String sql) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sqlite3", file.toString(), sql).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Shell(process.exitValue(), output);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private record Shell(int exitCode, String output) {
    }
}
