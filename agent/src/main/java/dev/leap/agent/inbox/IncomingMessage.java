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
 * @param text             what the owner wrote: the only words that can ask Leap to act
 * @param quoted           text the owner passed on without writing it (a forwarded message), or null;
 *                         the model sees it as quoted data, never as instructions
 * @param attachment       a file the owner sent, kept in Leap's file store, or null
 */
public record IncomingMessage(String channel, String chatId, String sender, String channelMessageId, String text,
        String quoted, Attachment attachment) {

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
        if (text.isBlank() && quoted == null && attachment == null) {
            throw new IllegalArgumentException("the message has no text");
        }
        if (text.length() > MAX_TEXT || (quoted != null && quoted.length() > MAX_TEXT)) {
            throw new IllegalArgumentException("the message is longer than " + MAX_TEXT + " characters");
        }
    }

    /** A message of the owner's own words only. */
    public IncomingMessage(String channel, String chatId, String sender, String channelMessageId, String text) {
        this(channel, chatId, sender, channelMessageId, text, null, null);
    }

    /** The same message, bringing a file. */
    public IncomingMessage withAttachment(Attachment file) {
        return new IncomingMessage(channel, chatId, sender, channelMessageId, text, quoted, file);
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
