package dev.leap.connectors.bluebubbles;

import dev.leap.connectors.service.LeapConfig;
import dev.leap.connectors.service.LeapReady;
import dev.leap.connectors.service.Tokens;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The secret in the URL BlueBubbles posts new messages to. It is Leap's own and never the
 * BlueBubbles password, because BlueBubbles logs the URLs it calls. Whoever holds it can claim to be
 * BlueBubbles reporting the owner's words, so it is as strong as the owner token: configured, or
 * generated at random into the data directory, and compared in constant time. Without a BlueBubbles
 * server configured there is no secret and every call is refused.
 */
@Singleton
public final class WebhookSecret {

    public static final String FILE = "bluebubbles-webhook-secret";
    static final int MIN_LENGTH = 16;
    private static final Logger LOG = Logger.getLogger(WebhookSecret.class);

    private final Optional<String> secret;
    private final String source;

    public WebhookSecret(LeapConfig config) {
        Path file = config.dataDir().resolve(FILE);
        Optional<String> configured = config.bluebubbles().webhookSecret().filter(s -> !s.isBlank());
        if (configured.isPresent() && configured.get().length() < MIN_LENGTH) {
            throw new IllegalArgumentException("leap.bluebubbles.webhook-secret is shorter than " + MIN_LENGTH
                    + " characters; leave it unset to have one generated");
        }
        this.secret = config.bluebubbles().url().isEmpty() ? Optional.empty()
                : Optional.of(configured.orElseGet(() -> Tokens.fromFile(file)));
        this.source = configured.isPresent() ? "the one configured in LEAP_BLUEBUBBLES_WEBHOOK_SECRET" : "in " + file;
    }

    /** Why a call presenting {@code presented} is refused, or empty if it carries the secret. */
    Optional<String> refusal(String presented) {
        if (secret.isEmpty()) {
            return Optional.of("BlueBubbles is not configured");
        }
        if (presented == null || presented.isBlank()) {
            return Optional.of("missing webhook secret");
        }
        return MessageDigest.isEqual(secret.get().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))
                ? Optional.empty() : Optional.of("wrong webhook secret");
    }

    /** Tells the owner where to point BlueBubbles, once Leap can answer. */
    void announce(@Observes LeapReady ready) {
        if (secret.isPresent()) {
            LOG.infof("BlueBubbles: add a webhook for new messages at http://<this machine>:<port>%s?secret=<secret>; the secret is %s",
                    BlueBubblesWebhook.PATH, source);
        }
    }
}
