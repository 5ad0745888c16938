package dev.leap.tools.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Actor;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordEvent.RecordCreated;
import dev.leap.tools.records.RecordEvent.RecordDeleted;
import dev.leap.tools.records.RecordEvent.RecordUpdated;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordServiceTest {

    static final Provenance TURN = new Provenance("turn-1", "message-1", "call-1", Actor.AGENT, "http", "scripted");

    @TempDir
    Path dataDirectory;

    SqliteEventLog log;
    RecordProjection projection;
    RecordService records;

    @BeforeEach
    void open() {
        log = SqliteEventLog.openIn(dataDirectory);
        projection = new RecordProjection(log);
        records = new RecordService(log, projection);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void creating_a_record_appends_one_event_to_its_own_stream_naming_its_cause() {
        RecordState ann = records.create("Contacts", Map.of("name", "Ann Lee"), TURN);

        assertThat(ann.collection()).isEqualTo("contacts");
        assertThat(ann.fields()).containsExactly(Map.entry("name", "Ann Lee"));
        List<RecordedEvent> events = log.readAll(0, 100);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.stream()).isEqualTo("record-" + ann.id());
            assertThat(event.type()).isEqualTo("RecordCreated");
            assertThat(Provenance.fromJson(event.metadata())).isEqualTo(TURN);
            assertThat(RecordEventCodec.decode(event)).contains(
                    new RecordCreated(ann.id(), "contacts", new java.util.LinkedHashMap<>(Map.of("name", "Ann Lee"))));
        });
    }

    @Test
    void updating_sets_and_removes_fields_and_remembers_what_they_were() {
        RecordState ann = records.create("contacts", ordered("name", "Ann", "phone", "555-0100", "city", "Oslo"), TURN);

        Map<String, String> changes = new HashMap<>();
        changes.put("phone", "555-0199");
        changes.put("city", null);
        changes.put("email", "ann@example.org");
        RecordState updated = records.update(ann.id(), changes, List.of(), TURN);

        assertThat(updated.fields()).containsOnly(Map.entry("name", "Ann"), Map.entry("phone", "555-0199"),
                Map.entry("email", "ann@example.org"));
        assertThat(updated.revision()).isEqualTo(1);
        RecordUpdated event = (RecordUpdated) RecordEventCodec.decode(log.readStream("record-" + ann.id()).get(1)).orElseThrow();
        assertThat(event.set()).containsOnly(Map.entry("phone", "555-0199"), Map.entry("email", "ann@example.org"));
        assertThat(event.removed()).containsExactly("city");
        assertThat(event.before()).containsOnly(Map.entry("phone", "555-0100"), Map.entry("city", "Oslo"));
    }

    @Test
    void an_update_that_changes_nothing_appends_nothing() {
        RecordState ann = records.create("contacts", Map.of("name", "Ann"), TURN);

        RecordState same = records.update(ann.id(), Map.of("name", "Ann"), List.of("nickname"), TURN);

        assertThat(same).isEqualTo(ann);
        assertThat(log.readAll(0, 100)).hasSize(1);
    }

    @Test
    void deleting_appends_a_tombstone_holding_what_the_record_was() {
        RecordState ann = records.create("contacts", Map.of("name", "Ann"), TURN);

        records.delete(ann.id(), TURN);

        assertThat(records.get(ann.id())).isEmpty();
        assertThat(records.collections()).isEmpty();
        RecordedEvent tombstone = log.readStream("record-" + ann.id()).getLast();
        assertThat(RecordEventCodec.decode(tombstone)).contains(
                new RecordDeleted(ann.id(), "contacts", new java.util.LinkedHashMap<>(Map.of("name", "Ann"))));
        assertThat(log.readStream("record-" + ann.id())).hasSize(2);
    }

    @Test
    void changing_or_deleting_an_unknown_record_is_refused_with_advice() {
        assertThatThrownBy(() -> records.update("nope42", Map.of("a", "b"), List.of(), TURN))
                .isInstanceOf(RecordException.NotFound.class).hasMessageContaining("find_records");
        assertThatThrownBy(() -> records.delete("nope42", TURN)).isInstanceOf(RecordException.NotFound.class);
        assertThat(log.readAll(0, 10)).isEmpty();
    }

    @Test
    void bad_collections_and_empty_records_are_refused_and_nothing_is_appended() {
        assertThatThrownBy(() -> records.create(" ", Map.of("name", "Ann"), TURN))
                .isInstanceOf(RecordException.Invalid.class).hasMessageContaining("collection name is required");
        assertThatThrownBy(() -> records.create("con/tacts", Map.of("name", "Ann"), TURN))
                .isInstanceOf(RecordException.Invalid.class).hasMessageContaining("not a usable collection name");
        assertThatThrownBy(() -> records.create("notes", Map.of("text", "  "), TURN))
                .isInstanceOf(RecordException.Invalid.class).hasMessageContaining("at least one field");
        assertThat(log.readAll(0, 10)).isEmpty();
    }

    @Test
    void collection_names_are_normalised_so_one_list_stays_one_list() {
        records.create("Shopping List", Map.of("item", "milk"), TURN);
        records.create("shopping_list", Map.of("item", "eggs"), TURN);
        records.create("Списки", Map.of("item", "хлеб"), TURN);

        assertThat(records.collections()).containsExactly(Map.entry("shopping-list", 2), Map.entry("списки", 1));
    }

    @Test
    void finding_matches_every_word_ignoring_case_and_accents() {
        records.create("contacts", Map.of("name", "Zoë Ångström", "city", "Tromsø"), TURN);
        records.create("contacts", Map.of("name", "Zoe Smith"), TURN);
        records.create("notes", Map.of("text", "call zoe about the boat"), TURN);

        assertThat(records.find("zoe", null, 10)).hasSize(3);
        assertThat(records.find("ZOE angstrom", null, 10)).extracting(RecordState::label).containsExactly("Zoë Ångström");
        assertThat(records.find("zoe", "Contacts", 10)).hasSize(2);
        assertThat(records.find("", "notes", 10)).extracting(RecordState::label).containsExactly("call zoe about the boat");
        assertThat(records.find("nobody", null, 10)).isEmpty();
    }

    @Test
    void a_projection_rebuilt_from_the_log_equals_the_one_kept_current() {
        RecordState ann = records.create("contacts", Map.of("name", "Ann"), TURN);
        RecordState bob = records.create("contacts", Map.of("name", "Bob"), TURN);
        records.update(ann.id(), Map.of("phone", "1"), List.of(), TURN);
        records.delete(bob.id(), TURN);
        records.create("tasks", Map.of("title", "file taxes"), TURN);

        RecordProjection rebuilt = new RecordProjection(log);

        assertThat(rebuilt.snapshot()).isEqualTo(projection.snapshot()).hasSize(2);
    }

    @Test
    void records_survive_a_restart() {
        RecordState ann = records.create("contacts", Map.of("name", "Ann"), TURN);
        log.close();

        log = SqliteEventLog.openIn(dataDirectory);
        RecordService reopened = new RecordService(log, new RecordProjection(log));

        assertThat(reopened.get(ann.id())).contains(ann);
    }

    @Test
    void the_projection_sees_appends_made_through_another_handle_on_the_same_file() {
        try (SqliteEventLog other = SqliteEventLog.openIn(dataDirectory)) {
            new RecordService(other, new RecordProjection(other)).create("notes", Map.of("text", "from elsewhere"), TURN);
        }

        assertThat(records.find("elsewhere", null, 10)).hasSize(1);
    }

    @Test
    void changes_read_as_plain_sentences() {
        RecordState ann = records.create("contacts", ordered("name", "Ann", "phone", "555-0100"), TURN);
        records.update(ann.id(), ordered("phone", "555-0199", "city", null), List.of(), TURN);
        records.update(ann.id(), Map.of("city", "Oslo"), List.of(), TURN);
        records.delete(ann.id(), TURN);

        List<String> sentences = log.readStream("record-" + ann.id()).stream()
                .map(e -> RecordChanges.describe(RecordEventCodec.decode(e).orElseThrow(), "Ann"))
                .toList();

        assertThat(sentences).containsExactly(
                "Added “Ann” to contacts (name: Ann, phone: 555-0100).",
                "Updated “Ann” in contacts: phone → 555-0199.",
                "Updated “Ann” in contacts: city → Oslo.",
                "Deleted “Ann” from contacts.");
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
