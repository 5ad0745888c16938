package dev.leap.agent.turn;

import java.util.Objects;

/**
 * One tool call of a turn, as the auditor sees it: what the model asked for and what it was told.
 *
 * @param id        the model's id for the call; events the call appended carry it as {@code toolCallId}
 * @param arguments the arguments exactly as the model sent them
 * @param result    the text returned to the model
 * @param error     whether the call was refused (bad arguments, unknown record, unknown tool)
 */
public record ToolCall(String id, String name, String arguments, String result, boolean error) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null ? "" : arguments;
        Objects.requireNonNull(result, "result");
    }
}
