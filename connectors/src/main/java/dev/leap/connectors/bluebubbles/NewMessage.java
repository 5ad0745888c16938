package dev.leap.connectors.bluebubbles;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What Leap reads of the message in a BlueBubbles {@code new-message} webhook, which carries
 * BlueBubbles' serialized message: {@code guid}, {@code text}, {@code isFromMe},
 * {@code handle.address}, {@code associatedMessageGuid} (set on tapbacks) and {@code chats}, each
 * with its {@code guid}, {@code style} and, when BlueBubbles includes them, {@code participants}.
 *
 * @param guid        the message's own id; a redelivered webhook carries the same one
 * @param sender      the handle that sent it: a phone number or an e-mail address
 * @param chatGuid    the chat it was written in, where the reply goes
 * @param privateChat whether that chat is a conversation with the sender alone
 */
record NewMessage(String guid, String text, String sender, String chatGuid, boolean privateChat, List<FileRef> files) {

    /** An attached file Leap can import (CSV or JSON), as BlueBubbles describes it. */
    record FileRef(String guid, String name, long size) {
    }

    /** {@code chat.style} of a group chat; a one-to-one chat is 45. */
    static final int GROUP_STYLE = 43;

    NewMessage {
        files = List.copyOf(files);
        require(guid, "guid");
        require(sender, "handle.address");
        require(chatGuid, "chats[0].guid");
    }

    /**
     * Why the message in {@code data} is not one for the agent, or empty if it is. Leap's own
     * replies come back through the webhook as {@code isFromMe}; a tapback's text ("Loved …")
     * quotes an earlier message, and obeying it would act on that message again.
     */
    static Optional<String> ignoredBecause(JsonNode data) {
        if (data.path("isFromMe").asBoolean(false)) {
            return Optional.of("sent from Leap's own account");
        }
        if (!data.path("associatedMessageGuid").asText("").isBlank()) {
            return Optional.of("a tapback");
        }
        if (data.path("text").asText("").isBlank() && importable(data).isEmpty()) {
            return Optional.of("no text");
        }
        return Optional.empty();
    }

    static NewMessage from(JsonNode data) {
        JsonNode chats = data.path("chats");
        JsonNode chat = chats.path(0);
        return new NewMessage(text(data, "guid"), data.path("text").asText(), text(data.path("handle"), "address"),
                text(chat, "guid"), chats.size() == 1 && isOneToOne(chat), importable(data));
    }

    /** The attachments Leap imports: CSV and JSON files ({@code transferName} is the name it was sent with). */
    private static List<FileRef> importable(JsonNode data) {
        List<FileRef> files = new ArrayList<>();
        for (JsonNode attachment : data.path("attachments")) {
            String name = attachment.path("transferName").asText("");
            String lower = name.toLowerCase(Locale.ROOT);
            if (!attachment.path("guid").asText("").isBlank() && (lower.endsWith(".csv") || lower.endsWith(".json"))) {
                files.add(new FileRef(attachment.path("guid").asText(), name, attachment.path("totalBytes").asLong(0)));
            }
        }
        return files;
    }

    /**
     * A one-to-one chat by every sign BlueBubbles gives: a guid of the form {@code iMessage;-;<handle>}
     * (groups have {@code iMessage;+;chat…}), no group style, at most one other participant. A chat
     * that does not show all of this is not taken for private.
     */
    private static boolean isOneToOne(JsonNode chat) {
        String[] guid = chat.path("guid").asText().split(";", 3);
        return guid.length == 3 && guid[1].equals("-")
                && chat.path("style").asInt(0) != GROUP_STYLE
                && chat.path("participants").size() <= 1;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the new-message webhook has no " + field);
        }
    }
}
