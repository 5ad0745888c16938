package dev.leap.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * Why an event exists: the metadata every event carries, so that an auditor can replay which
 * message, turn and tool call caused which change. Fields that do not apply are null.
 *
 * @param turnId     the turn during which the event was appended
 * @param messageId  id of the {@code MessageReceived} event that started the turn
 * @param toolCallId the model's id for the tool call that appended it
 * @param actor      who acted
 * @param channel    the channel the message came through: http, cli, telegram, bluebubbles, web
 * @param model      the model that chose the action
 */
public record Provenance(String turnId, String messageId, String toolCallId, Actor actor, String channel, String model) {

    public Provenance {
        Objects.requireNonNull(actor, "actor");
    }

    /** Provenance for what Leap does by itself, outside any turn. */
    public static Provenance system() {
        return new Provenance(null, null, null, Actor.SYSTEM, null, null);
    }

    /** The same provenance, naming the tool call that acts. */
    public Provenance forToolCall(String id) {
        return new Provenance(turnId, messageId, id, actor, channel, model);
    }

    /** The event metadata, as JSON text; absent fields are left out. */
    public String toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        putIfPresent(node, "turnId", turnId);
        putIfPresent(node, "messageId", messageId);
        putIfPresent(node, "toolCallId", toolCallId);
        node.put("actor", actor.json());
        putIfPresent(node, "channel", channel);
        putIfPresent(node, "model", model);
        return node.toString();
    }

    /** Reads event metadata written by {@link #toJson()}; metadata without an actor reads as system. */
    public static Provenance fromJson(String metadata) {
        JsonNode node = Json.parse(metadata);
        return new Provenance(
                text(node, "turnId"),
                text(node, "messageId"),
                text(node, "toolCallId"),
                node.hasNonNull("actor") ? Actor.fromJson(node.get("actor").asText()) : Actor.SYSTEM,
                text(node, "channel"),
                text(node, "model"));
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static String text(JsonNode node, String name) {
        return node.hasNonNull(name) ? node.get(name).asText() : null;
    }
}
