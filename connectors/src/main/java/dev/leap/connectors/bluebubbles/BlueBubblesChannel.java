package dev.leap.connectors.bluebubbles;

import dev.leap.agent.delivery.ReplyChannel;
import dev.leap.connectors.service.LeapConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers Leap's replies to iMessage chats through BlueBubbles. The {@code tempGuid} of each
 * reply is derived from its turn, so that BlueBubbles recognises a retried delivery of a reply it
 * is still sending instead of sending it twice.
 *
 * <p>While Leap works on an answer the chat shows "typing…", where BlueBubbles can: its Private API
 * must be on. Without it BlueBubbles refuses, and Leap stops asking for an hour rather than asking
 * at every turn.
 */
@Singleton
public final class BlueBubblesChannel implements ReplyChannel {

    public static final String CHANNEL = "bluebubbles";

    /** How long Leap leaves the typing indicator alone after BlueBubbles refused to show it. */
    static final Duration TYPING_RETRY_AFTER = Duration.ofHours(1);

    private final Optional<BlueBubblesServer> server;
    private final Clock clock;
    /** The chats showing Leap's typing indicator now. */
    private final Set<String> typingIn = ConcurrentHashMap.newKeySet();
    private volatile Instant typingRefusedUntil = Instant.MIN;

    @Inject
    public BlueBubblesChannel(LeapConfig config) {
        this(BlueBubblesServer.configured(config.bluebubbles()), Clock.systemUTC());
    }

    BlueBubblesChannel(Optional<BlueBubblesServer> server, Clock clock) {
        this.server = server;
        this.clock = clock;
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

    /** Turns the indicator on once per turn: BlueBubbles keeps it until told otherwise or a message arrives. */
    @Override
    public void working(String chatId) {
        if (server.isEmpty() || clock.instant().isBefore(typingRefusedUntil) || !typingIn.add(chatId)) {
            return;
        }
        boolean shown = false;
        try {
            shown = server.get().startTyping(chatId);
        } finally {
            if (!shown) {
                typingIn.remove(chatId);
                typingRefusedUntil = clock.instant().plus(TYPING_RETRY_AFTER);
            }
        }
    }

    @Override
    public void idle(String chatId) {
        if (typingIn.remove(chatId)) {
            server.ifPresent(mac -> mac.stopTyping(chatId));
        }
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
