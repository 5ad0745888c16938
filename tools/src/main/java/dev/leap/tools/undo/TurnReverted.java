package dev.leap.tools.undo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leap.store.EventData;
import dev.leap.store.EventIds;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import java.util.List;
import java.util.UUID;

/**
 * Appended to the stream of a turn that was undone: which events it reverses and which events
 * reverse them. Nothing is removed; the turn's own events stay as they were.
 *
 * @param turnId        the turn undone
 * @param revertedBy    the turn (or auditor action) that undid it
 * @param reversed      ids of the events undone
 * @param compensations ids of the events that undo them
 */
public record TurnReverted(String turnId, String revertedBy, List<UUID> reversed, List<UUID> compensations) {

    public static final String TYPE = "TurnReverted";

    public TurnReverted {
        reversed = List.copyOf(reversed);
        compensations = List.copyOf(compensations);
    }

    public static String streamOf(String turnId) {
        return "turn-" + turnId;
    }

    EventData toEvent(Provenance provenance) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("turnId", turnId).put("revertedBy", revertedBy);
        var reversedIds = data.putArray("reversed");
        reversed.forEach(id -> reversedIds.add(id.toString()));
        var compensationIds = data.putArray("compensations");
        compensations.forEach(id -> compensationIds.add(id.toString()));
        return new EventData(EventIds.fromName(TYPE + ":" + turnId + ":" + revertedBy), TYPE, data.toString(),
                provenance.toJson());
    }
}
