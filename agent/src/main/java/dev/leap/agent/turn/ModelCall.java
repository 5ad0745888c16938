package dev.leap.agent.turn;

import java.util.List;
import java.util.Objects;

/**
 * One answer of the model during a turn, as the auditor sees it: its words, the tool calls it
 * asked for (run or not), and what it cost.
 *
 * @param text          the model's words, empty when it only called tools
 * @param requested     the tool calls it asked for, exactly as it asked
 * @param inputTokens   prompt tokens, or 0 if the provider did not say
 * @param outputTokens  generated tokens, or 0 if the provider did not say
 */
public record ModelCall(String text, List<Requested> requested, int inputTokens, int outputTokens) {

    public ModelCall {
        text = text == null ? "" : text;
        requested = List.copyOf(requested);
    }

    /** A tool call as the model asked for it. */
    public record Requested(String id, String name, String arguments) {
        public Requested {
            id = id == null ? "" : id;
            Objects.requireNonNull(name, "name");
            arguments = arguments == null ? "" : arguments;
        }
    }
}
