package dev.leap.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.HashChain;
import dev.leap.store.LogVerification;
import dev.leap.store.RecordedEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An attacker who can write the file drops the append-only triggers (they are in the file, so
 * that is one statement) and edits the events table directly. The hash chain names the first
 * event that no longer follows from the ones before it — except for the changes it cannot see by
 * design, which the last tests pin down so that nobody mistakes them for protected.
 */
class TamperEvidenceTest {

    @TempDir
    Path directory;

    /** The log as it was before the attack: positions 0 to 7, three streams interleaved. */
    List<RecordedEvent> original;

    @BeforeEach
    void a_log_of_eight_events() {
        try (SqliteEventLog log = SqliteEventLog.openIn(directory)) {
            for (int i = 0; i < 8; i++) {
                String stream = List.of("record-ann", "record-bob", "chat-cli-owner").get(i % 3);
                log.append(stream, ExpectedRevision.any(), EventData.of("Noted", "{\"n\":" + i + "}"));
            }
            original = log.readAll(0, 100);
        }
        assertThat(original).extracting(RecordedEvent::position).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void editing_an_events_data_is_reported_at_that_event_with_both_hashes() {
        tamper("UPDATE events SET data = '{\"n\":333}' WHERE position = 3");

        LogVerification report = verify();

        RecordedEvent edited = withData(original.get(3), "{\"n\":333}");
        assertThat(report.firstBadPosition()).isEqualTo(3);
        assertThat(report.eventsVerified()).isEqualTo(3);
        assertThat(report.storedHash()).isEqualTo(original.get(3).hash());
        assertThat(report.expectedHash()).isEqualTo(HashChain.link(original.get(2).hash(), edited));
        assertThat(report.lastVerifiedPosition()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void editing_any_column_of_an_event_is_reported_at_that_event(String column, String assignment) {
        tamper("UPDATE events SET " + assignment + " WHERE position = 3");

        assertThat(verify().firstBadPosition()).as(column).isEqualTo(3);
    }

    static Stream<Arguments> edits() {
        return Stream.of(
                Arguments.of("data", "data = '{\"n\":\"forged\"}'"),
                Arguments.of("hash", "hash = '" + "ab".repeat(32) + "'"),
                Arguments.of("recorded_at", "recorded_at = recorded_at + 1"),
                Arguments.of("type", "type = 'Forged'"),
                Arguments.of("metadata", "metadata = '{\"actor\":\"owner\"}'"),
                Arguments.of("id", "id = '" + UUID.randomUUID() + "'"),
                Arguments.of("stream", "stream = 'record-mallory'"),
                Arguments.of("revision", "revision = revision + 100"));
    }

    @Test
    void deleting_an_event_in_the_middle_is_reported_at_the_event_after_the_gap() {
        tamper("DELETE FROM events WHERE position = 3");

        LogVerification report = verify();

        assertThat(report.firstBadPosition()).isEqualTo(4);
        assertThat(report.eventsVerified()).isEqualTo(3);
        assertThat(report.expectedHash()).isEqualTo(HashChain.link(original.get(2).hash(), original.get(4)));
    }

    @Test
    void swapping_two_events_is_reported_at_the_earlier_place() {
        tamper("UPDATE events SET position = -1 WHERE position = 3",
                "UPDATE events SET position = 3 WHERE position = 5",
                "UPDATE events SET position = 5 WHERE position = -1");

        assertThat(verify().firstBadPosition()).isEqualTo(3);
    }

    @Test
    void swapping_two_neighbours_is_reported_at_the_earlier_place() {
        tamper("UPDATE events SET position = -1 WHERE position = 6",
                "UPDATE events SET position = 6 WHERE position = 7",
                "UPDATE events SET position = 7 WHERE position = -1");

        assertThat(verify().firstBadPosition()).isEqualTo(6);
    }

    @Test
    void a_forged_event_inserted_in_the_middle_is_reported_at_the_forgery() {
        RecordedEvent forged = forgedAt(3, "cd".repeat(32));
        insertShifting(forged);

        LogVerification report = verify();

        assertThat(report.firstBadPosition()).isEqualTo(3);
        assertThat(report.storedHash()).isEqualTo(forged.hash());
    }

    @Test
    void a_forged_event_with_a_correctly_computed_hash_is_reported_at_the_event_after_it() {
        // The chain's algorithm is public, so a forger can give the forgery the hash it should
        // carry; the original event that now follows it still links to the hash before the forgery.
        RecordedEvent unhashed = forgedAt(3, "");
        RecordedEvent forged = withHash(unhashed, HashChain.link(original.get(2).hash(), unhashed));
        insertShifting(forged);

        LogVerification report = verify();

        assertThat(report.firstBadPosition()).isEqualTo(4);
        assertThat(report.storedHash()).isEqualTo(original.get(3).hash());
    }

    @Test
    void cutting_off_the_newest_events_cannot_be_seen_in_the_chain_only_in_a_head_noted_earlier() {
        LogVerification noted = verify();

        tamper("DELETE FROM events WHERE position >= 5");

        LogVerification after = verify();
        assertThat(after.intact()).as("a shorter log is a valid chain: the chain cannot see this").isTrue();
        assertThat(after.eventsVerified()).isEqualTo(5);
        assertThat(after.lastVerifiedHash()).isNotEqualTo(noted.lastVerifiedHash());
        assertThat(noted.lastVerifiedPosition()).isEqualTo(7);
    }

    @Test
    void rehashing_every_event_after_an_edit_cannot_be_seen_in_the_chain_only_in_a_head_noted_earlier() {
        // The hashes are not keyed: whoever can write the file can recompute them all.
        LogVerification noted = verify();
        String previous = original.get(2).hash();
        for (RecordedEvent event : original.subList(3, 8)) {
            RecordedEvent changed = event.position() == 3 ? withData(event, "{\"n\":\"forged\"}") : event;
            previous = HashChain.link(previous, changed);
            tamper("UPDATE events SET data = '" + changed.data() + "', hash = '" + previous + "' WHERE position = "
                    + event.position());
        }

        LogVerification after = verify();
        assertThat(after.intact()).as("a consistently rehashed chain is valid: the chain cannot see this").isTrue();
        assertThat(after.lastVerifiedHash()).isNotEqualTo(noted.lastVerifiedHash());
    }

    @Test
    void renumbering_positions_cannot_be_seen_in_the_chain_because_positions_are_not_hashed() {
        tamper("UPDATE events SET position = position + 100 WHERE position >= 3");

        LogVerification report = verify();

        assertThat(report.intact()).as("order is protected, position numbers are not").isTrue();
        assertThat(report.lastVerifiedPosition()).isEqualTo(107);
        assertThat(report.lastVerifiedHash()).isEqualTo(original.getLast().hash());
    }

    private LogVerification verify() {
        try (SqliteEventLog log = SqliteEventLog.openIn(directory)) {
            LogVerification report = LogVerification.of(log);
            assertThat(HashChain.verify(log))
                    .isEqualTo(new HashChain.Verification(report.eventsVerified(), report.firstBadPosition()));
            return report;
        }
    }

    /** What an attacker does: drop the triggers, which live in the file, then write as they please. */
    private void tamper(String... statements) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("events.db"));
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("DROP TRIGGER IF EXISTS events_are_never_updated");
            statement.executeUpdate("DROP TRIGGER IF EXISTS events_are_never_deleted");
            for (String sql : statements) {
                statement.executeUpdate(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("the attack itself failed: " + e.getMessage(), e);
        }
    }

    /** Moves the events from the forgery's position on one place up, then inserts the forgery. */
    private void insertShifting(RecordedEvent forged) {
        tamper("UPDATE events SET position = -position - 1 WHERE position >= " + forged.position(),
                "UPDATE events SET position = -position WHERE position < 0");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("events.db"));
                PreparedStatement insert = connection.prepareStatement("INSERT INTO events (position, stream, revision, "
                        + "id, type, data, metadata, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, forged.position());
            insert.setString(2, forged.stream());
            insert.setLong(3, forged.revision());
            insert.setString(4, forged.id().toString());
            insert.setString(5, forged.type());
            insert.setString(6, forged.data());
            insert.setString(7, forged.metadata());
            insert.setLong(8, HashChain.epochMicros(forged.recordedAt()));
            insert.setString(9, forged.hash());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("the forgery could not be inserted: " + e.getMessage(), e);
        }
    }

    /** A new record that the owner seems to have created just after the event before {@code position}. */
    private RecordedEvent forgedAt(long position, String hash) {
        Instant at = original.get((int) position - 1).recordedAt();
        return new RecordedEvent(position, "record-mallory", 0, UUID.randomUUID(), "RecordCreated",
                "{\"name\":\"Mallory\"}", "{\"actor\":\"owner\"}", at, hash);
    }

    private static RecordedEvent withData(RecordedEvent e, String data) {
        return new RecordedEvent(e.position(), e.stream(), e.revision(), e.id(), e.type(), data, e.metadata(),
                e.recordedAt(), e.hash());
    }

    private static RecordedEvent withHash(RecordedEvent e, String hash) {
        return new RecordedEvent(e.position(), e.stream(), e.revision(), e.id(), e.type(), e.data(), e.metadata(),
                e.recordedAt(), hash);
    }
}
