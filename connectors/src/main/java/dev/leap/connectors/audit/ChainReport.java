package dev.leap.connectors.audit;

import dev.leap.store.HashChain;
import dev.leap.store.ReadAll;
import dev.leap.store.RecordedEvent;
import java.util.List;

/**
 * The outcome of walking the hash chain from the first event.
 *
 * @param eventsVerified   how many events, from the first, link correctly
 * @param firstBadPosition the position of the first event that does not, or null when the chain is intact
 * @param firstBadEvent    that event as the log holds it now, or null
 * @param verdict          the outcome in one sentence
 */
public record ChainReport(boolean intact, long eventsVerified, Long firstBadPosition, EventBody firstBadEvent,
        String verdict) {

    /** Walks the whole log: the cost grows with it, by design — every event is checked. */
    public static ChainReport of(ReadAll log) {
        HashChain.Verification verification = HashChain.verify(log);
        if (verification.intact()) {
            return new ChainReport(true, verification.eventsVerified(), null, null,
                    "The chain is intact: all " + verification.eventsVerified() + " events link to those before them.");
        }
        long bad = verification.firstBadPosition();
        List<RecordedEvent> at = log.readAll(bad, 1);
        EventBody event = at.isEmpty() ? null : EventBody.of(at.getFirst());
        return new ChainReport(false, verification.eventsVerified(), bad, event,
                "The chain breaks at position " + bad + (event == null ? "" : " (" + event.type() + " in " + event.stream()
                        + ", revision " + event.revision() + ")")
                        + ": that event, or one before it, was changed, removed or inserted after it was recorded. The "
                        + verification.eventsVerified() + " events before it link correctly.");
    }
}
