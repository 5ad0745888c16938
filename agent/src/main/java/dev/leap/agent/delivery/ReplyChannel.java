package dev.leap.agent.delivery;

import java.util.UUID;

/**
 * Where replies of one channel go. A connector implements it; the outbox calls it and records
 * the delivery.
 */
public interface ReplyChannel {

    /** The channel's name, as in {@code MessageReceived}: telegram, bluebubbles, http... */
    String channel();

    /**
     * Delivers a reply to a chat and returns how many channel messages it took. {@code turnId}
     * identifies the reply: a channel that can deduplicate sends (BlueBubbles' {@code tempGuid})
     * should use it, so that a delivery retried after a crash is not shown twice.
     *
     * @throws RuntimeException if the reply could not be delivered; the outbox will try again
     */
    int send(String chatId, String text, UUID turnId);

    /** Whether Leap can send to this channel unasked (a reminder), rather than only answer a request. */
    default boolean canPush() {
        return true;
    }

    /**
     * Shows that Leap is working on an answer (a typing indicator), if the channel has one. Called
     * every few seconds while a turn runs, for channels whose indicator fades by itself.
     */
    default void working(String chatId) {
    }

    /** Leap has stopped working on an answer in this chat: a channel whose indicator stays on clears it. */
    default void idle(String chatId) {
    }

    /**
     * A channel whose replies travel back in the response to the request that brought the message
     * (HTTP, the terminal, the web page): there is nothing left to send.
     */
    static ReplyChannel inResponse(String channel) {
        return new ReplyChannel() {
            @Override
            public String channel() {
                return channel;
            }

            @Override
            public int send(String chatId, String text, UUID turnId) {
                return 1;
            }

            @Override
            public boolean canPush() {
                return false;
            }
        };
    }
}
