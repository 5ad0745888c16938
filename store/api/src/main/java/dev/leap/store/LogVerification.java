package dev.leap.store;

import java.util.Locale;
import java.util.Objects;

/**
 * What an auditor learns by walking the hash chain from the first event: how many events link
 * correctly and, at the first that does not, the hash it should carry next to the one it carries.
 *
 * <p>The chain shows any change to an event that has a successor, and any removal, insertion or
 * reordering before the newest event. It cannot show that the newest events were cut off, nor a
 * tail rewritten with freshly computed hashes: nothing in the log says how long it was. That is why
 * the report names the last verified event and its hash. An auditor who writes them down can later
 * check that a verified log still reaches that position with that hash.
 *
 * @param eventsVerified       how many events, from the first, link correctly
 * @param firstBadPosition     the position of the first event that does not, or {@link #INTACT}
 * @param expectedHash         the hash that event would carry given the events before it and its
 *                             own content; null when the chain is intact
 * @param storedHash           the hash it carries instead; null when the chain is intact
 * @param lastVerifiedPosition the newest event that links correctly, -1 if none does
 * @param lastVerifiedHash     its hash, or {@link HashChain#GENESIS} if none links correctly
 */
public record LogVerification(long eventsVerified, long firstBadPosition, String expectedHash, String storedHash,
        long lastVerifiedPosition, String lastVerifiedHash) {

    public static final long INTACT = -1;

    public LogVerification {
        if (eventsVerified < 0) {
            throw new IllegalArgumentException("events verified is 0 or more, not " + eventsVerified);
        }
        if (firstBadPosition < INTACT) {
            throw new IllegalArgumentException("the first bad position is a position or INTACT, not " + firstBadPosition);
        }
        if ((firstBadPosition == INTACT) != (expectedHash == null && storedHash == null)) {
            throw new IllegalArgumentException("expected and stored hashes are given exactly when the chain is broken");
        }
        Objects.requireNonNull(lastVerifiedHash, "lastVerifiedHash");
    }

    /** Walks the whole log from its first event and stops at the first event that does not link. */
    public static LogVerification of(ReadAll log) {
        String previous = HashChain.GENESIS;
        long previousPosition = -1;
        long verified = 0;
        try (ReadAhead pages = new ReadAhead(log, 0)) {
            for (RecordedEvent event : pages.events()) {
                String expected = HashChain.link(previous, event);
                if (!expected.equals(event.hash())) {
                    return new LogVerification(verified, event.position(), expected, event.hash(), previousPosition,
                            previous);
                }
                previous = event.hash();
                previousPosition = event.position();
                verified++;
            }
        }
        return new LogVerification(verified, INTACT, null, null, previousPosition, previous);
    }

    public boolean intact() {
        return firstBadPosition == INTACT;
    }

    /** One stable paragraph an auditor's command can print as it is. */
    public String summary() {
        if (intact()) {
            return eventsVerified == 0
                    ? "The log is empty: there is nothing to verify."
                    : String.format(Locale.ROOT, "The hash chain is intact: %,d events verified. "
                            + "The newest is at position %d with hash %s; note it to check later that no event "
                            + "was cut off the end.", eventsVerified, lastVerifiedPosition, lastVerifiedHash);
        }
        return String.format(Locale.ROOT, "The hash chain breaks at position %d: the event there carries hash %s, "
                + "but the events before it and its own content give %s. %,d events before it verified.",
                firstBadPosition, storedHash, expectedHash, eventsVerified);
    }
}
