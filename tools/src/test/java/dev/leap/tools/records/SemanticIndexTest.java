package dev.leap.tools.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Provenance;
import dev.leap.tools.actions.AgentTool;
import dev.leap.tools.actions.RecordTools;
import dev.leap.tools.actions.ToolArguments;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding by meaning with the in-process embedding model that ships inside its jar: no network. */
class SemanticIndexTest {

    @TempDir
    static Path dataDirectory;

    static SqliteEventLog log;
    static RecordService records;
    static SemanticIndex meaning;

    @BeforeAll
    static void open() {
        log = SqliteEventLog.openIn(dataDirectory);
        RecordProjection projection = new RecordProjection(log);
        records = new RecordService(log, projection);
        meaning = new SemanticIndex(projection, new AllMiniLmL6V2EmbeddingModel());
        records.create("contacts", Map.of("name", "Dr. Alice Smith", "role", "physician"), Provenance.system());
        records.create("contacts", Map.of("name", "Bob Jones", "role", "plumber"), Provenance.system());
        records.create("tasks", Map.of("title", "buy milk"), Provenance.system());
        records.create("notes", Map.of("text", "the boat needs painting before spring"), Provenance.system());
    }

    @AfterAll
    static void close() {
        log.close();
    }

    @Test
    void a_question_finds_the_record_it_means_though_no_word_matches() {
        assertThat(records.find("my doctor", null, 10)).isEmpty();

        assertThat(meaning.nearest("who is my doctor", null, 3)).extracting(RecordState::label).first()
                .isEqualTo("Dr. Alice Smith");
    }

    @Test
    void unrelated_records_are_not_offered_as_matches() {
        assertThat(meaning.nearest("who is my doctor", null, 10)).extracting(RecordState::label)
                .doesNotContain("buy milk", "the boat needs painting before spring");
    }

    @Test
    void a_changed_record_is_found_by_its_new_meaning() {
        RecordState task = records.create("tasks", Map.of("title", "call the garage"), Provenance.system());
        assertThat(meaning.nearest("car repair", "tasks", 5)).extracting(RecordState::id).contains(task.id());

        records.update(task.id(), Map.of("title", "water the plants"), List.of(), Provenance.system());

        assertThat(meaning.nearest("gardening", "tasks", 5)).extracting(RecordState::id).contains(task.id());
    }

    @Test
    void find_records_lists_word_matches_first_then_matches_by_meaning() {
        AgentTool find = RecordTools.all(records, meaning).stream().filter(t -> t.name().equals("find_records")).findFirst()
                .orElseThrow();

        String result = find.execute(ToolArguments.parse("find_records", "{\"words\":\"physician\"}"), Provenance.system());
        String byMeaning = find.execute(ToolArguments.parse("find_records", "{\"words\":\"my doctor\"}"), Provenance.system());

        assertThat(result.lines().skip(1).findFirst()).hasValueSatisfying(line -> assertThat(line).contains("Dr. Alice Smith"));
        assertThat(byMeaning).contains("Dr. Alice Smith").doesNotContain("buy milk");
    }
}
