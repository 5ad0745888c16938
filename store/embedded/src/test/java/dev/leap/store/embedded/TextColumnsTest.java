package dev.leap.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.RecordedEvent;
import dev.leap.store.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine reads text columns as the UTF-8 bytes SQLite stores; the edges of that. */
class TextColumnsTest {

    @TempDir
    Path directory;

    @Test
    void empty_data_and_metadata_read_back_as_empty_strings() {
        try (SqliteEventLog log = SqliteEventLog.openIn(directory)) {
            log.append("record-empty", ExpectedRevision.noStream(), new EventData(UUID.randomUUID(), "Blank", "", ""));

            RecordedEvent event = log.readStream("record-empty").getFirst();
            assertThat(event.data()).isEmpty();
            assertThat(event.metadata()).isEmpty();
        }
    }

    @Test
    void a_file_whose_text_is_not_utf_8_is_refused() throws Exception {
        Path file = directory.resolve("utf16.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA encoding = 'UTF-16le'");
            statement.execute("CREATE TABLE other (x TEXT)");
        }

        assertThatThrownBy(() -> SqliteEventLog.open(file, Clock.systemUTC()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("not UTF-8");
    }
}
