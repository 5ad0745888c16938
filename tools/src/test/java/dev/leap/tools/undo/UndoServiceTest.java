package dev.leap.tools.undo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Actor;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordException;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordService;
import dev.leap.tools.records.RecordState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After an undo the records are exactly as they were before the undone turns; nothing is removed. */
class UndoServiceTest {

    @TempDir
    Path dataDirectory;

    SqliteEventLog log;
    RecordProjection projection;
    RecordService records;
    UndoService undo;
    TurnIndex turns;

    @BeforeEach
    void open() {
        log = SqliteEventLog.openIn(dataDirectory);
        projection = new RecordProjection(log);
        records = new RecordService(log, projection);
        turns = new TurnIndex(log);
        undo = new UndoService(log, projection, turns);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void undoing_a_create_deletes_the_record() {
        Map<String, Map<String, String>> before = state();
        records.create("contacts", Map.of("name", "Ann"), turn("t1"));

        undo.undoLast(turn("t2"));

        assertThat(state()).isEqualTo(before);
    }

    @Test
    void undoing_an_update_restores_every_field_including_removed_and_added_ones() {
        RecordState ann = records.create("contacts", Map.of("name", "Ann", "phone", "1", "city", "Oslo"), turn("t1"));
        Map<String, Map<String, String>> before = state();
        java.util.Map<String, String> changes = new java.util.HashMap<>();
        changes.put("phone", "2");
        changes.put("city", null);
        changes.put("email", "ann@example.org");
        records.update(ann.id(), changes, List.of(), turn("t2"));

        undo.undoLast(turn("t3"));

        assertThat(state()).isEqualTo(before);
    }

    @Test
    void undoing_a_delete_restores_the_record_under_its_own_id() {
        RecordState ann = records.create("contacts", Map.of("name", "Ann", "phone", "1"), turn("t1"));
        Map<String, Map<String, String>> before = state();
        records.delete(ann.id(), turn("t2"));

        undo.undoLast(turn("t3"));

        assertThat(state()).isEqualTo(before);
        assertThat(log.readStream("record-" + ann.id())).extracting(RecordedEvent::type)
                .containsExactly("RecordCreated", "RecordDeleted", "RecordRestored");
    }

    @Test
    void undoing_a_bulk_edit_or_an_import_reverses_every_record_it_touched() {
        RecordState a = records.create("contacts", Map.of("name", "A", "city", "Oslo"), turn("t1"));
        RecordState b = records.create("contacts", Map.of("name", "B", "city", "Oslo"), turn("t1"));
        Map<String, Map<String, String>> before = state();
        records.update(a.id(), Map.of("city", "Bergen"), List.of(), turn("bulk"));
        records.update(b.id(), Map.of("city", "Bergen"), List.of(), turn("bulk"));
        for (int i = 0; i < 30; i++) {
            records.create("imported", Map.of("name", "row " + i), turn("bulk"));
        }

        UndoService.Undone undone = undo.undoLast(turn("t3"));

        assertThat(state()).isEqualTo(before);
        assertThat(undone.compensations()).hasSize(32);
    }

    @Test
    void undoing_the_undo_brings_the_changes_back() {
        records.create("contacts", Map.of("name", "Ann"), turn("t1"));
        RecordState bob = records.create("contacts", Map.of("name", "Bob"), turn("t2"));
        Map<String, Map<String, String>> after = state();
        records.delete(bob.id(), turn("t3"));
        Map<String, Map<String, String>> deleted = state();

        undo.undoLast(turn("undo-1"));
        assertThat(state()).isEqualTo(after);
        undo.undoLast(turn("undo-2"));

        assertThat(state()).isEqualTo(deleted);
        assertThat(turns.stands("t3")).isTrue();
        assertThat(turns.stands("undo-1")).isFalse();
    }

    @Test
    void undoing_everything_since_a_time_reverses_all_later_turns_newest_first() {
        records.create("contacts", Map.of("name", "Ann"), turn("t1"));
        Map<String, Map<String, String>> before = state();
        Instant since = log.readAll(Long.MAX_VALUE, 1, dev.leap.store.Direction.BACKWARDS).getFirst().recordedAt().plusNanos(1_000);
        RecordState bob = records.create("contacts", Map.of("name", "Bob"), turn("t2"));
        records.update(bob.id(), Map.of("phone", "9"), List.of(), turn("t3"));
        records.delete(bob.id(), turn("t4"));

        UndoService.Undone undone = undo.undoSince(since, turn("undo"));

        assertThat(state()).isEqualTo(before);
        assertThat(undone.turns()).containsExactly("t4", "t3", "t2");
    }

    @Test
    void a_turn_whose_records_were_changed_later_cannot_be_undone_alone() {
        RecordState ann = records.create("contacts", Map.of("name", "Ann"), turn("t1aaaaaa"));
        records.update(ann.id(), Map.of("phone", "1"), List.of(), turn("t2bbbbbb"));
        int events = log.readAll(0, 100).size();

        assertThatThrownBy(() -> undo.undoTurn("t1aaaa", turn("t3")))
                .isInstanceOf(RecordException.Invalid.class)
                .hasMessageContaining("t2bbbbbb changed the same record later");
        assertThat(log.readAll(0, 100)).hasSize(events);
    }

    @Test
    void the_undone_turn_is_marked_with_what_reversed_it_and_its_events_stay() {
        RecordState ann = records.create("contacts", Map.of("name", "Ann"), turn("t1"));

        undo.undoTurn("t1", turn("t2"));

        List<RecordedEvent> marks = log.readStream("turn-t1");
        assertThat(marks).singleElement().satisfies(mark -> {
            assertThat(mark.type()).isEqualTo("TurnReverted");
            var data = Json.parse(mark.data());
            assertThat(data.get("revertedBy").asText()).isEqualTo("t2");
            assertThat(data.get("reversed")).hasSize(1);
            assertThat(data.get("compensations")).hasSize(1);
        });
        assertThat(log.readStream("record-" + ann.id())).extracting(RecordedEvent::type)
                .containsExactly("RecordCreated", "RecordDeleted");
        assertThatThrownBy(() -> undo.undoTurn("t1", turn("t3"))).hasMessageContaining("already undone");
    }

    @Test
    void with_nothing_to_undo_the_answer_says_so() {
        assertThatThrownBy(() -> undo.undoLast(turn("t1"))).hasMessageContaining("nothing to undo");
    }

    private Map<String, Map<String, String>> state() {
        return projection.snapshot().values().stream()
                .collect(Collectors.toMap(r -> r.collection() + "/" + r.id(), RecordState::fields));
    }

    private static Provenance turn(String id) {
        return new Provenance(id, UUID.randomUUID().toString(), "call", Actor.AGENT, "cli", "scripted");
    }
}
