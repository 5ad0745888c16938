package dev.leap.agent.owners;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Makes the first private chat that proves it can see the service's output the owner of a channel
 * that has none: at start Leap prints a one-time code, and whoever sends {@code /pair <code>}
 * within ten minutes is paired. The code works once; after that, or after ten minutes, only a
 * restart makes a new one.
 */
public final class Pairing {

    public static final Duration VALID_FOR = Duration.ofMinutes(10);
    private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    private final String channel;
    private final String code;
    private final Instant expires;
    private final Clock clock;
    private boolean used;

    private Pairing(String channel, String code, Instant expires, Clock clock) {
        this.channel = channel;
        this.code = code;
        this.expires = expires;
        this.clock = clock;
    }

    /** A pairing for a channel that has no owner yet, or none if it has one. */
    public static Optional<Pairing> offer(String channel, Owners owners, Clock clock) {
        if (owners.hasOwner(channel)) {
            return Optional.empty();
        }
        SecureRandom random = new SecureRandom();
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            if (i == 3) {
                code.append('-');
            }
        }
        return Optional.of(new Pairing(channel, code.toString(), clock.instant().plus(VALID_FOR), clock));
    }

    public String channel() {
        return channel;
    }

    public String code() {
        return code;
    }

    /** The line to print at start, telling the owner what to send. */
    public String instructions() {
        return "%s has no owner yet. From your own account, send this to Leap in a private chat within %d minutes:  /pair %s"
                .formatted(channel, VALID_FOR.toMinutes(), code);
    }

    /** Whether {@code text} is the valid, unused, unexpired pairing command; uses the code if so. */
    synchronized boolean redeem(String text) {
        if (used || clock.instant().isAfter(expires)) {
            return false;
        }
        String[] words = text.strip().split("\\s+");
        if (words.length == 2 && words[0].equals("/pair") && words[1].equalsIgnoreCase(code)) {
            used = true;
            return true;
        }
        return false;
    }
}
