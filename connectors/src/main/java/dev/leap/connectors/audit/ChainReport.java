package dev.leap.connectors.audit;

import dev.leap.store.LogVerification;
import dev.leap.store.ReadAll;
import dev.leap.store.RecordedEvent;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of walking the hash chain from the first event, as the auditor reads it.
 *
 * @param eventsVerified       how many events, from the first, link correctly
 * @param firstBadPosition     the position of the first event that does not, or null when the chain is intact
 * @param firstBadEvent        that event as the log holds it now, or null
 * @param expectedHash         the hash that event would carry given the events before it and its own content, or null
 * @param storedHash           the hash it carries instead, or null
 * @param lastVerifiedPosition the newest event that links correctly, -1 if none does
 * @param lastVerifiedHash     its hash: written down, it lets a later verify show that nothing was cut off the end
 * @param verdict              the outcome in plain words
 */
public record ChainReport(boolean intact, long eventsVerified, Long firstBadPosition, EventBody firstBadEvent,
        String expectedHash, String storedHash, long lastVerifiedPosition, String lastVerifiedHash, String verdict) {

    /** Walks the whole log: the cost grows with it, by design — every event is checked. */
    public static ChainReport of(ReadAll log) {
        LogVerification verification = LogVerification.of(log);
        if (verification.intact()) {
            return new ChainReport(true, verification.eventsVerified(), null, null, null, null,
                    verification.lastVerifiedPosition(), verification.lastVerifiedHash(), verification.summary());
        }
        long bad = verification.firstBadPosition();
        List<RecordedEvent> at = log.readAll(bad, 1);
        EventBody event = at.isEmpty() ? null : EventBody.of(at.getFirst());
        String verdict = String.format(Locale.ROOT, "The chain breaks at position %d%s: that event, or one before it, "
                + "was changed, removed or inserted after it was recorded. It carries hash %s, but the events before "
                + "it and its own content give %s. The %d events before it link correctly.",
                bad, event == null ? "" : " (" + event.type() + " in " + event.stream() + ", revision " + event.revision() + ")",
                verification.storedHash(), verification.expectedHash(), verification.eventsVerified());
        return new ChainReport(false, verification.eventsVerified(), bad, event, verification.expectedHash(),
                verification.storedHash(), verification.lastVerifiedPosition(), verification.lastVerifiedHash(), verdict);
    }
}
