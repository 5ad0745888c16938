package dev.leap.agent.turn;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** What happens to a turn, in its stream {@code turn-<turnId>}. */
public sealed interface TurnEvent {

    UUID turnId();

    static String stream(UUID turnId) {
        return "turn-" + turnId;
    }

    /** The agent began working on a message. */
    record TurnStarted(UUID turnId, UUID messageId, String channel, String chatId) implements TurnEvent {
        public TurnStarted {
            Objects.requireNonNull(turnId, "turnId");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(chatId, "chatId");
        }
    }

    /**
     * The reply reached the owner's channel (or, for HTTP, was handed back in the response).
     *
     * @param parts how many channel messages it took; long replies are split
     */
    record ReplySent(UUID turnId, String channel, String chatId, int parts) implements TurnEvent {
        public ReplySent {
            Objects.requireNonNull(turnId, "turnId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(chatId, "chatId");
            if (parts < 1) {
                throw new IllegalArgumentException("a reply takes at least one message, not " + parts);
            }
        }
    }

    /**
     * The agent finished, or gave up.
     *
     * @param reply    what the owner is told: the model's answer and the changes read back from the log
     * @param answer   the model's own words, kept apart from the facts
     * @param modelCalls every answer of the model during the turn, tool requests included
     * @param changes  ids of the events this turn appended to the owner's data
     * @param facts    one plain sentence per change, as the reply states them
     * @param problem  why the turn did not finish normally, or null
     */
    record TurnCompleted(UUID turnId, String reply, String answer, List<ModelCall> modelCalls, List<ToolCall> toolCalls,
            List<UUID> changes, List<String> facts, String problem) implements TurnEvent {
        public TurnCompleted {
            Objects.requireNonNull(turnId, "turnId");
            Objects.requireNonNull(reply, "reply");
            answer = answer == null ? "" : answer;
            modelCalls = List.copyOf(modelCalls);
            toolCalls = List.copyOf(toolCalls);
            changes = List.copyOf(changes);
            facts = List.copyOf(facts);
        }
    }
}
