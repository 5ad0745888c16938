package dev.leap.connectors.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.store.ReadAll;
import dev.leap.store.ReadAhead;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the log as JSON Lines, one object per event, in the format {@code docs/export-format.md}
 * describes. The format is a promise to whoever reads an export later: add fields if need be, never
 * change or remove one without raising {@link #VERSION}.
 */
public final class JsonLinesExport {

    /** The format's version, written into every line. */
    public static final int VERSION = 1;

    private final ReadAll log;

    public JsonLinesExport(ReadAll log) {
        this.log = log;
    }

    /**
     * Writes every event from position {@code from} to {@code to}, both inclusive, oldest first, and
     * returns how many it wrote. Reads a page at a time, so the log's size does not matter.
     */
    public long write(long from, long to, OutputStream out) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("an export runs from a position 0 or more to one not before it, not "
                    + from + " to " + to);
        }
        long written = 0;
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setRootValueSeparator(null); // each line ends with its own newline instead
            try (ReadAhead pages = new ReadAhead(log, from)) {
                for (List<RecordedEvent> page = pages.next(); !page.isEmpty(); page = pages.next()) {
                    for (RecordedEvent event : page) {
                        if (event.position() > to) {
                            return written;
                        }
                        line(json, event);
                        written++;
                    }
                    json.flush();
                }
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export: " + e.getMessage(), e);
        }
    }

    private static void line(JsonGenerator json, RecordedEvent event) throws IOException {
        json.writeStartObject();
        json.writeNumberField("version", VERSION);
        json.writeNumberField("position", event.position());
        json.writeStringField("stream", event.stream());
        json.writeNumberField("revision", event.revision());
        json.writeStringField("id", event.id().toString());
        json.writeStringField("type", event.type());
        payload(json, "data", event.data());
        payload(json, "metadata", event.metadata());
        json.writeStringField("recordedAt", Times.iso(event.recordedAt()));
        json.writeStringField("hash", event.hash());
        json.writeEndObject();
        json.writeRaw('\n');
    }

    /**
     * The payload as JSON, and beside it its exact stored text whenever writing the JSON compactly
     * would not give back those very bytes (text written around Leap, or not JSON at all): the hash
     * covers the stored text, and an export must be enough to check it.
     */
    private static void payload(JsonGenerator json, String field, String text) throws IOException {
        JsonNode parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException notJson) {
            parsed = null;
        }
        if (parsed == null || parsed.isMissingNode()) {
            json.writeNullField(field);
            json.writeStringField(field + "Text", text);
            return;
        }
        json.writeFieldName(field);
        String compact = Json.MAPPER.writeValueAsString(parsed);
        if (compact.equals(text)) {
            json.writeRawValue(text);
        } else {
            json.writeTree(parsed);
            json.writeStringField(field + "Text", text);
        }
    }
}
