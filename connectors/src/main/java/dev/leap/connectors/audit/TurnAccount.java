package dev.leap.connectors.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.agent.turn.ModelCall;
import dev.leap.agent.turn.ToolCall;
import java.util.List;

/**
 * The whole account of one turn, from the stored events alone: what started it, what the model said
 * and asked for, which tools ran with which arguments and results, which events it appended, what
 * the owner was told, and whether it was reverted and by what.
 *
 * @param kind         "message" (the agent answering the owner) or "revert" (an auditor reverting a turn)
 * @param status       "in progress", "completed" or "failed" (a turn that finished with a problem, or a revert that stopped)
 * @param message      the owner's message, for a message turn
 * @param reverts      the turn an auditor's revert reverses, for a revert
 * @param changes      the events the turn appended, oldest first; one page of {@code changesTotal}
 * @param nextChange   the index to ask for the next page of changes from, or null
 * @param delivery     when the reply reached the owner's channel, or null
 * @param reversals    every revert of this turn, oldest first
 * @param stands       whether the turn's changes are in effect now
 */
public record TurnAccount(String turnId, String kind, String status, String startedAt, String completedAt,
        String actor, String channel, String chatId, String model, Message message, String reverts,
        List<ModelCall> modelCalls, List<ToolCall> toolCalls, List<Change> changes, int changesTotal,
        Integer nextChange, String answer, String reply, String problem, Delivery delivery, List<Reversal> reversals,
        boolean stands) {

    /** The owner's message that started a turn, as it was recorded. */
    public record Message(String id, long position, String stream, String receivedAt, String sender, String text,
            String quoted, JsonNode attachment) {
    }

    /** @param parts how many channel messages the reply took */
    public record Delivery(String at, int parts) {
    }

    /**
     * One revert of the turn.
     *
     * @param by            the turn that reverted it: an owner's "undo" or an auditor's revert
     * @param kind          that turn's kind: "message" or "revert"
     * @param compensations the events that reversed this turn's changes; one page of {@code compensationsTotal}
     * @param inEffect      false once the revert was itself reverted
     */
    public record Reversal(String by, String kind, String actor, String at, List<Change> compensations,
            int compensationsTotal, boolean inEffect) {
    }
}
