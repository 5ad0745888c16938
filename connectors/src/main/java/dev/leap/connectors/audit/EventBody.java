package dev.leap.connectors.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;

/**
 * An event exactly as the log recorded it, with its payload and metadata as JSON: the shape of every
 * event the auditor's API returns.
 */
public record EventBody(long position, String stream, long revision, String id, String type, JsonNode data,
        JsonNode metadata, String recordedAt, String hash) {

    public static EventBody of(RecordedEvent e) {
        return new EventBody(e.position(), e.stream(), e.revision(), e.id().toString(), e.type(), json(e.data()),
                json(e.metadata()), Times.iso(e.recordedAt()), e.hash());
    }

    /**
     * The text as JSON; text that is not JSON (written around Leap) is shown as a string rather than
     * hidden behind an error.
     */
    static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException notJson) {
            return TextNode.valueOf(text);
        }
    }

    /** The event's provenance; metadata that is not Leap's reads as Leap itself acting. */
    static Provenance provenance(RecordedEvent event) {
        try {
            return Provenance.fromJson(event.metadata());
        } catch (IllegalArgumentException notLeaps) {
            return Provenance.system();
        }
    }
}
