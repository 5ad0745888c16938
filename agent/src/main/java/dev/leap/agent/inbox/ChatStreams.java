package dev.leap.agent.inbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Names the stream of one conversation, {@code chat-<channel>-<chatId>}. Chat ids that use
 * characters a stream name cannot hold (an iMessage chat guid such as {@code iMessage;-;+1555…})
 * are written in URL-safe Base64 behind {@code b64.}, so two different chats never share a stream.
 */
public final class ChatStreams {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:@+=-]{1,120}");

    private ChatStreams() {
    }

    public static String of(String channel, String chatId) {
        String id = PLAIN.matcher(chatId).matches() && !chatId.startsWith("b64.")
                ? chatId
                : "b64." + Base64.getUrlEncoder().withoutPadding().encodeToString(chatId.getBytes(StandardCharsets.UTF_8));
        return "chat-" + channel + "-" + id;
    }
}
