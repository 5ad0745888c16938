package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.HashChain;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export format (docs/export-format.md): one object per event, and enough to check the chain. */
class JsonLinesExportTest {

    @TempDir
    Path directory;

    @Test
    void an_export_alone_is_enough_to_check_every_hash_of_the_log() {
        try (SqliteEventLog log = SqliteEventLog.openIn(SyntheticLogs.copyInto(directory))) {
            List<JsonNode> lines = export(log, 0, Long.MAX_VALUE);

            assertThat(lines).hasSize((int) log.lastPosition().orElseThrow() + 1);
            assertThat(chainHolds(lines)).isTrue();
        }
    }

    @Test
    void a_payload_not_in_compact_form_keeps_its_exact_text_beside_it() {
        try (SqliteEventLog log = SqliteEventLog.openIn(directory)) {
            log.append("record-x", ExpectedRevision.any(),
                    new EventData(UUID.randomUUID(), "Compact", "{\"a\":1,\"b\":\"é\"}", "{\"actor\":\"agent\"}"),
                    new EventData(UUID.randomUUID(), "Spaced", "{ \"a\" : 1 }", "{}"),
                    new EventData(UUID.randomUUID(), "NotJson", "not json at all", "{\"actor\" :\"system\"}"));

            List<JsonNode> lines = export(log, 0, Long.MAX_VALUE);

            assertThat(lines.get(0).has("dataText")).isFalse();
            assertThat(lines.get(0).has("metadataText")).isFalse();
            assertThat(lines.get(0).get("data")).isEqualTo(Json.parse("{\"a\":1,\"b\":\"é\"}"));
            assertThat(lines.get(1).get("data")).isEqualTo(Json.parse("{\"a\":1}"));
            assertThat(lines.get(1).get("dataText").asText()).isEqualTo("{ \"a\" : 1 }");
            assertThat(lines.get(2).get("data").isNull()).isTrue();
            assertThat(lines.get(2).get("dataText").asText()).isEqualTo("not json at all");
            assertThat(lines.get(2).get("metadataText").asText()).isEqualTo("{\"actor\" :\"system\"}");
            assertThat(chainHolds(lines)).isTrue();
        }
    }

    @Test
    void an_export_runs_from_and_to_the_positions_asked_for_and_times_have_six_decimals() {
        try (SqliteEventLog log = SqliteEventLog.openIn(directory)) {
            for (int i = 0; i < 5; i++) {
                log.append("record-" + i, ExpectedRevision.any(), EventData.of("Tick", "{\"n\":" + i + "}"));
            }

            List<JsonNode> lines = export(log, 1, 3);

            assertThat(lines).extracting(line -> line.get("position").asLong()).containsExactly(1L, 2L, 3L);
            assertThat(lines).allSatisfy(line -> assertThat(line.get("recordedAt").asText())
                    .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z"));
        }
    }

    @Test
    void the_example_in_the_format_s_document_is_what_the_export_writes() throws Exception {
        Path doc = Path.of("..", "docs", "export-format.md");
        String text = Files.readString(doc);
        String example = text.substring(text.indexOf("```json\n") + 8, text.indexOf("\n```", text.indexOf("```json\n")));
        try (SqliteEventLog log = SqliteEventLog.open(directory.resolve("events.db"),
                Clock.fixed(Instant.parse("2025-03-01T09:30:15.123456Z"), ZoneOffset.UTC))) {
            log.append("chat-telegram-42", ExpectedRevision.any(), new EventData(
                    UUID.fromString("0b9e8f1c-3d2a-5b4e-9f60-7a1c2d3e4f50"), "MessageReceived",
                    "{\"channel\":\"telegram\",\"chatId\":\"42\",\"sender\":\"42\",\"channelMessageId\":\"7\","
                            + "\"text\":\"add Ann Lee, 555-0100, to my contacts\"}",
                    "{\"messageId\":\"0b9e8f1c-3d2a-5b4e-9f60-7a1c2d3e4f50\",\"actor\":\"owner\",\"channel\":\"telegram\"}"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new JsonLinesExport(log).write(0, 0, out);

            assertThat(example).isEqualTo(out.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private static List<JsonNode> export(SqliteEventLog log, long from, long to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonLinesExport(log).write(from, to, out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        return text.lines().map(Json::parse).toList();
    }

    /**
     * Recomputes each hash from the lines alone, following the format's rule for the stored text: the
     * {@code …Text} field when there is one, else the JSON written compactly.
     */
    private static boolean chainHolds(List<JsonNode> lines) {
        String previous = HashChain.GENESIS;
        for (JsonNode line : lines) {
            String hash = HashChain.link(previous, line.get("stream").asText(), line.get("revision").asLong(),
                    UUID.fromString(line.get("id").asText()), line.get("type").asText(), stored(line, "data"),
                    stored(line, "metadata"), Instant.parse(line.get("recordedAt").asText()));
            if (!hash.equals(line.get("hash").asText())) {
                return false;
            }
            previous = hash;
        }
        return true;
    }

    private static String stored(JsonNode line, String field) {
        return line.has(field + "Text") ? line.get(field + "Text").asText() : line.get(field).toString();
    }
}
