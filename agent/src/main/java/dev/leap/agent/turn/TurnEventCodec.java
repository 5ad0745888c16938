package dev.leap.agent.turn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leap.agent.turn.TurnEvent.ReplySent;
import dev.leap.agent.turn.TurnEvent.TurnCompleted;
import dev.leap.agent.turn.TurnEvent.TurnStarted;
import dev.leap.store.EventData;
import dev.leap.store.EventIds;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Maps turn events to the log's envelope and back. Ids are derived from the turn, so recording the
 * start or the end of a turn twice appends nothing.
 */
public final class TurnEventCodec {

    private TurnEventCodec() {
    }

    public static EventData encode(TurnEvent event, Provenance provenance) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("turnId", event.turnId().toString());
        String type = switch (event) {
            case TurnStarted started -> {
                data.put("messageId", started.messageId().toString());
                data.put("channel", started.channel());
                data.put("chatId", started.chatId());
                yield "TurnStarted";
            }
            case TurnCompleted completed -> {
                data.put("reply", completed.reply());
                data.put("answer", completed.answer());
                ArrayNode models = data.putArray("modelCalls");
                for (ModelCall call : completed.modelCalls()) {
                    ObjectNode node = models.addObject().put("text", call.text())
                            .put("inputTokens", call.inputTokens()).put("outputTokens", call.outputTokens());
                    ArrayNode requested = node.putArray("requested");
                    call.requested().forEach(r -> requested.addObject().put("id", r.id()).put("name", r.name())
                            .put("arguments", r.arguments()));
                }
                ArrayNode calls = data.putArray("toolCalls");
                for (ToolCall call : completed.toolCalls()) {
                    calls.addObject()
                            .put("id", call.id())
                            .put("name", call.name())
                            .put("arguments", call.arguments())
                            .put("result", call.result())
                            .put("error", call.error());
                }
                ArrayNode changes = data.putArray("changes");
                completed.changes().forEach(id -> changes.add(id.toString()));
                completed.facts().forEach(data.putArray("facts")::add);
                if (completed.problem() != null) {
                    data.put("problem", completed.problem());
                }
                yield "TurnCompleted";
            }
            case ReplySent sent -> {
                data.put("channel", sent.channel());
                data.put("chatId", sent.chatId());
                data.put("parts", sent.parts());
                yield "ReplySent";
            }
        };
        UUID id = EventIds.fromName(type + ":" + event.turnId());
        return new EventData(id, type, data.toString(), provenance.toJson());
    }

    public static Optional<TurnEvent> decode(RecordedEvent event) {
        return switch (event.type()) {
            case "TurnStarted" -> {
                JsonNode data = Json.parse(event.data());
                yield Optional.of(new TurnStarted(uuid(data, "turnId"), uuid(data, "messageId"),
                        data.get("channel").asText(), data.get("chatId").asText()));
            }
            case "TurnCompleted" -> {
                JsonNode data = Json.parse(event.data());
                List<ModelCall> models = new ArrayList<>();
                data.path("modelCalls").forEach(call -> {
                    List<ModelCall.Requested> requested = new ArrayList<>();
                    call.path("requested").forEach(r -> requested.add(new ModelCall.Requested(r.get("id").asText(),
                            r.get("name").asText(), r.get("arguments").asText())));
                    models.add(new ModelCall(call.path("text").asText(), requested, call.path("inputTokens").asInt(),
                            call.path("outputTokens").asInt()));
                });
                List<ToolCall> calls = new ArrayList<>();
                data.path("toolCalls").forEach(call -> calls.add(new ToolCall(call.get("id").asText(),
                        call.get("name").asText(), call.get("arguments").asText(), call.get("result").asText(),
                        call.get("error").asBoolean())));
                List<UUID> changes = new ArrayList<>();
                data.path("changes").forEach(id -> changes.add(UUID.fromString(id.asText())));
                List<String> facts = new ArrayList<>();
                data.path("facts").forEach(fact -> facts.add(fact.asText()));
                yield Optional.of(new TurnCompleted(uuid(data, "turnId"), data.get("reply").asText(),
                        data.path("answer").asText(), models, calls, changes, facts,
                        data.hasNonNull("problem") ? data.get("problem").asText() : null));
            }
            case "ReplySent" -> {
                JsonNode data = Json.parse(event.data());
                yield Optional.of(new ReplySent(uuid(data, "turnId"), data.get("channel").asText(),
                        data.get("chatId").asText(), data.get("parts").asInt()));
            }
            default -> Optional.empty();
        };
    }

    private static UUID uuid(JsonNode data, String field) {
        return UUID.fromString(data.get(field).asText());
    }
}
