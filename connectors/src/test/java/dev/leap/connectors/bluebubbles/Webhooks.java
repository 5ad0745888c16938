package dev.leap.connectors.bluebubbles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Webhook bodies shaped like those BlueBubbles posts: {@code {type, data}}, where a new message's
 * data is the message as BlueBubbles' MessageSerializer writes it, with its chats as the
 * ChatSerializer does (style 45 for a one-to-one chat, 43 for a group).
 */
final class Webhooks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Webhooks() {
    }

    /** {@code handle} wrote {@code text} in the one-to-one chat {@code iMessage;-;<handle>}. */
    /** A message bringing one attachment, as BlueBubbles describes it in the webhook. */
    static ObjectNode withAttachment(ObjectNode event, String attachmentGuid, String transferName, int totalBytes) {
        ((ObjectNode) event.get("data")).withArray("attachments").addObject()
                .put("originalROWID", 90)
                .put("guid", attachmentGuid)
                .put("uti", "public.comma-separated-values-text")
                .put("mimeType", "text/csv")
                .put("transferName", transferName)
                .put("totalBytes", totalBytes);
        return event;
    }

    static ObjectNode newMessage(String guid, String handle, String text) {
        return newMessage(guid, handle, "iMessage;-;" + handle, text);
    }

    static ObjectNode newMessage(String guid, String handle, String chatGuid, String text) {
        ObjectNode event = JSON.createObjectNode().put("type", "new-message");
        ObjectNode data = event.putObject("data")
                .put("originalROWID", 4711)
                .put("guid", guid)
                .put("text", text)
                .put("handleId", 17)
                .put("otherHandle", 0)
                .put("error", 0)
                .put("dateCreated", 1_760_000_000_000L)
                .put("isFromMe", false)
                .put("hasDdResults", false)
                .put("isArchived", false)
                .put("itemType", 0)
                .put("groupActionType", 0)
                .put("hasPayloadData", false);
        data.putNull("attributedBody");
        data.putNull("subject");
        data.putNull("dateRead");
        data.putNull("dateDelivered");
        data.putNull("groupTitle");
        data.putNull("balloonBundleId");
        data.putNull("associatedMessageGuid");
        data.putNull("associatedMessageType");
        data.putNull("expressiveSendStyleId");
        data.putNull("threadOriginatorGuid");
        data.putArray("attachments");
        data.putObject("handle")
                .put("originalROWID", 17)
                .put("address", handle)
                .put("service", chatGuid.substring(0, chatGuid.indexOf(';')))
                .put("country", "us")
                .putNull("uncanonicalizedId");
        boolean group = chatGuid.contains(";+;");
        data.putArray("chats").addObject()
                .put("originalROWID", 3)
                .put("guid", chatGuid)
                .put("style", group ? 43 : 45)
                .put("chatIdentifier", chatGuid.substring(chatGuid.lastIndexOf(';') + 1))
                .put("isArchived", false)
                .put("displayName", group ? "Family" : "");
        return event;
    }

    /** A message Leap's own account sent, as BlueBubbles reports it back. */
    static ObjectNode fromMe(String guid, String chatGuid, String text) {
        ObjectNode event = newMessage(guid, "unused", chatGuid, text);
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("isFromMe", true);
        data.putNull("handle");
        data.put("handleId", 0);
        return event;
    }

    /** A tapback ("Loved “…”") on an earlier message. */
    static ObjectNode tapback(String guid, String handle, String onMessage) {
        ObjectNode event = newMessage(guid, handle, "Loved “add Ann”");
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("associatedMessageGuid", "p:0/" + onMessage);
        data.put("associatedMessageType", "love");
        return event;
    }

    static ObjectNode typing(String chatGuid) {
        ObjectNode event = JSON.createObjectNode().put("type", "typing-indicator");
        event.putObject("data").put("display", true).put("guid", chatGuid);
        return event;
    }
}
