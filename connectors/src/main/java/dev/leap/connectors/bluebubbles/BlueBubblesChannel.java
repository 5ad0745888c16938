package dev.leap.connectors.bluebubbles;

import dev.leap.agent.delivery.ReplyChannel;
import dev.leap.connectors.service.LeapConfig;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;

/**
 * Delivers Leap's replies to iMessage chats through BlueBubbles. The {@code tempGuid} of each
 * reply is derived from its turn, so that BlueBubbles recognises a retried delivery of a reply it
 * is still sending instead of sending it twice.
 */
@Singleton
public final class BlueBubblesChannel implements ReplyChannel {

    public static final String CHANNEL = "bluebubbles";

    private final Optional<BlueBubblesServer> server;

    public BlueBubblesChannel(LeapConfig config) {
        this.server = BlueBubblesServer.configured(config.bluebubbles());
    }

    /** The {@code tempGuid} of a turn's reply. */
    public static String tempGuid(UUID turnId) {
        return "leap-" + turnId;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public int send(String chatId, String text, UUID turnId) {
        tell(chatId, text, tempGuid(turnId));
        return 1;
    }

    /** Sends a message that is not the reply of a turn, such as the confirmation of a pairing. */
    void tell(String chatGuid, String text, String tempGuid) {
        server.orElseThrow(() -> new IllegalStateException("BlueBubbles is not configured: set leap.bluebubbles.url"))
                .sendText(chatGuid, text, tempGuid);
    }

    /** The content of an attachment on the owner's Mac, at most {@code maxBytes} plus one. */
    byte[] download(String attachmentGuid, int maxBytes) {
        return server.orElseThrow(() -> new IllegalStateException("BlueBubbles is not configured: set leap.bluebubbles.url"))
                .download(attachmentGuid, maxBytes);
    }
}
