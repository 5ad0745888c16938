package dev.leap.connectors.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of a record's history, oldest first.
 *
 * @param deleted whether the record's last event deleted it
 * @param next    the revision to ask for the next page from, or null
 */
public record HistoryPage(String recordId, String collection, boolean deleted, List<Entry> entries, Long next) {

    /** One event of the record, with what caused it. */
    public record Entry(long position, long revision, String id, String type, String recordedAt, String summary,
            JsonNode data, Cause cause) {
    }

    /**
     * The turn and message behind an event.
     *
     * @param kind    "message" (the agent, answering the owner), "revert" (an auditor) or "none" (Leap itself)
     * @param message the owner's words, for a message turn
     * @param reverts the turn an auditor's revert reverses, for a revert
     * @param stands  whether that turn's changes are in effect now
     */
    public record Cause(String turnId, String kind, String actor, String channel, String model, String toolCallId,
            String messageId, String message, String reverts, boolean stands) {
    }
}
