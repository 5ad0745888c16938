package dev.leap.connectors.audit;

import java.util.List;

/**
 * One page of the timeline of turns, newest first.
 *
 * @param next where the next (older) page starts: pass it as {@code before}; null at the log's beginning
 */
public record TimelinePage(List<TurnSummary> turns, Long next) {

    /**
     * A turn as the timeline lists it; its full account is one request away.
     *
     * @param message    the owner's message, shortened to one line, for a message turn
     * @param reverts    the turn an auditor's revert reverses, for a revert
     * @param reply      what the owner was told, shortened to one line
     * @param changes    how many events the turn appended
     * @param revertedBy the turn that reverted it last, if any
     */
    public record TurnSummary(String turnId, String kind, String status, String startedAt, String actor, String channel,
            String message, String reverts, String reply, int changes, boolean stands, String revertedBy) {
    }
}
