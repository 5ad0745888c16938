package dev.leap.tools.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leap.store.EventData;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordEvent.RecordCreated;
import dev.leap.tools.records.RecordEvent.RecordDeleted;
import dev.leap.tools.records.RecordEvent.RecordRestored;
import dev.leap.tools.records.RecordEvent.RecordUpdated;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.UUID;

/** Maps record events to the log's envelope and back. The JSON shapes here are the stored format. */
public final class RecordEventCodec {

    private RecordEventCodec() {
    }

    public static EventData encode(RecordEvent event, Provenance provenance) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("recordId", event.recordId());
        data.put("collection", event.collection());
        String type = switch (event) {
            case RecordCreated created -> {
                data.set("fields", object(created.fields()));
                yield "RecordCreated";
            }
            case RecordUpdated updated -> {
                data.set("set", object(updated.set()));
                updated.removed().forEach(data.putArray("removed")::add);
                data.set("before", object(updated.before()));
                yield "RecordUpdated";
            }
            case RecordDeleted deleted -> {
                data.set("fields", object(deleted.fields()));
                yield "RecordDeleted";
            }
            case RecordRestored restored -> {
                data.set("fields", object(restored.fields()));
                yield "RecordRestored";
            }
        };
        return new EventData(UUID.randomUUID(), type, data.toString(), provenance.toJson());
    }

    /** The record event an envelope holds, or empty if it holds another kind of event. */
    public static Optional<RecordEvent> decode(RecordedEvent event) {
        if (!event.stream().startsWith("record-")) {
            return Optional.empty();
        }
        return switch (event.type()) {
            case "RecordCreated", "RecordUpdated", "RecordDeleted", "RecordRestored" ->
                    Optional.of(decode(event.type(), Json.parse(event.data())));
            default -> Optional.empty();
        };
    }

    private static RecordEvent decode(String type, JsonNode data) {
        String id = data.get("recordId").asText();
        String collection = data.get("collection").asText();
        return switch (type) {
            case "RecordCreated" -> new RecordCreated(id, collection, fields(data.get("fields")));
            case "RecordUpdated" -> new RecordUpdated(id, collection, fields(data.get("set")), strings(data.get("removed")),
                    fields(data.get("before")));
            case "RecordDeleted" -> new RecordDeleted(id, collection, fields(data.get("fields")));
            case "RecordRestored" -> new RecordRestored(id, collection, fields(data.get("fields")));
            default -> throw new IllegalArgumentException("not a record event: " + type);
        };
    }

    private static ObjectNode object(Map<String, String> fields) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        fields.forEach(node::put);
        return node;
    }

    private static SequencedMap<String, String> fields(JsonNode node) {
        SequencedMap<String, String> fields = new LinkedHashMap<>();
        if (node != null) {
            node.properties().forEach(entry -> fields.put(entry.getKey(), entry.getValue().asText()));
        }
        return fields;
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null) {
            node.forEach(value -> values.add(value.asText()));
        }
        return values;
    }
}
