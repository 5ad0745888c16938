package dev.leap.connectors.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Provenance;

/**
 * One event a turn appended, as the auditor reads it: where it is, who caused it and through which
 * tool call, a sentence saying what it did, and its payload.
 *
 * @param toolCallId the model's tool call that appended it, or null
 * @param summary    what it did, in the words a reply uses
 */
public record Change(long position, String stream, long revision, String id, String type, String recordedAt,
        String actor, String turnId, String toolCallId, String summary, JsonNode data) {

    static Change of(RecordedEvent event, String summary) {
        Provenance why = EventBody.provenance(event);
        return new Change(event.position(), event.stream(), event.revision(), event.id().toString(), event.type(),
                Times.iso(event.recordedAt()), why.actor().json(), why.turnId(), why.toolCallId(), summary,
                EventBody.json(event.data()));
    }
}
