package dev.leap.agent.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leap.store.EventData;
import dev.leap.store.EventIds;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Actor;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import java.util.UUID;

/**
 * The first event of every exchange: a message from the owner, recorded before anything acts on
 * it. Its id is derived from the channel's own identity of the message, so a redelivery appends
 * nothing new.
 */
public record MessageReceived(UUID eventId, IncomingMessage message) {

    public static final String TYPE = "MessageReceived";

    public static MessageReceived of(IncomingMessage message) {
        UUID id = EventIds.fromName(message.channel() + ":" + message.chatId() + ":" + message.channelMessageId());
        return new MessageReceived(id, message);
    }

    public String stream() {
        return ChatStreams.of(message.channel(), message.chatId());
    }

    public EventData toEvent() {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("channel", message.channel());
        data.put("chatId", message.chatId());
        data.put("sender", message.sender());
        data.put("channelMessageId", message.channelMessageId());
        data.put("text", message.text());
        if (message.quoted() != null) {
            data.put("quoted", message.quoted());
        }
        if (message.attachment() != null) {
            data.putObject("attachment")
                    .put("fileName", message.attachment().fileName())
                    .put("sha256", message.attachment().sha256())
                    .put("size", message.attachment().size());
        }
        Provenance provenance = new Provenance(null, eventId.toString(), null, Actor.OWNER, message.channel(), null);
        return new EventData(eventId, TYPE, data.toString(), provenance.toJson());
    }

    public static MessageReceived fromEvent(RecordedEvent event) {
        if (!TYPE.equals(event.type())) {
            throw new IllegalArgumentException("not a " + TYPE + " event: " + event.type());
        }
        JsonNode data = Json.parse(event.data());
        JsonNode file = data.get("attachment");
        return new MessageReceived(event.id(), new IncomingMessage(
                data.get("channel").asText(),
                data.get("chatId").asText(),
                data.get("sender").asText(),
                data.get("channelMessageId").asText(),
                data.get("text").asText(),
                data.hasNonNull("quoted") ? data.get("quoted").asText() : null,
                file == null ? null : new Attachment(file.get("fileName").asText(), file.get("sha256").asText(),
                        file.get("size").asLong())));
    }
}
