package dev.leap.agent.inbox;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A message from the owner as a connector received it, before anything is recorded.
 *
 * @param channel          the connector: http, cli, telegram, bluebubbles, web
 * @param chatId           the conversation within the channel; replies go back to it
 * @param sender           who sent it, in the channel's own terms (user id, handle)
 * @param channelMessageId the channel's own id for the message; a redelivery carries the same one
 * @param text             what the owner wrote
 */
public record IncomingMessage(String channel, String chatId, String sender, String channelMessageId, String text) {

    public static final int MAX_TEXT = 16_000;
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9]{0,19}");

    public IncomingMessage {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("a channel is a short lower-case word, not '" + channel + "'");
        }
        requireText(chatId, "chat id", 200);
        requireText(sender, "sender", 200);
        requireText(channelMessageId, "message id", 200);
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("the message has no text");
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("the message is longer than " + MAX_TEXT + " characters");
        }
    }

    private static void requireText(String value, String what, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is missing");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException("the " + what + " is longer than " + max + " characters");
        }
    }
}
