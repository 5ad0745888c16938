package dev.leap.agent.turn;

import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.leap.tools.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the tools of one turn share: the provenance their events carry, and the record of each
 * model answer and tool call for the turn's audit trail. It travels with the AI service call as an invocation parameter,
 * so tools learn which turn they act for explicitly, not from a thread-local.
 */
final class TurnContext {

    private static final String KEY = "leap.turn";

    private final Provenance provenance;
    private final List<ToolCall> calls = new ArrayList<>();
    private final List<ModelCall> modelCalls = new ArrayList<>();

    TurnContext(Provenance provenance) {
        this.provenance = provenance;
    }

    InvocationParameters asParameters() {
        return new InvocationParameters(Map.of(KEY, this));
    }

    static TurnContext of(InvocationContext context) {
        TurnContext turn = context == null || context.invocationParameters() == null
                ? null
                : context.invocationParameters().get(KEY);
        if (turn == null) {
            throw new IllegalStateException("a tool ran outside a turn: the assistant must be called with a TurnContext");
        }
        return turn;
    }

    Provenance provenance() {
        return provenance;
    }

    synchronized void record(ToolCall call) {
        calls.add(call);
    }

    synchronized List<ToolCall> calls() {
        return List.copyOf(calls);
    }

    synchronized void recordModelCall(ModelCall call) {
        modelCalls.add(call);
    }

    synchronized List<ModelCall> modelCalls() {
        return List.copyOf(modelCalls);
    }

    /**
     * Whether the model's last answer asked for tools that never ran: the AI service stopped the
     * turn at its step limit instead of running them.
     */
    synchronized boolean stoppedWithCallsPending() {
        if (modelCalls.isEmpty() || modelCalls.getLast().requested().isEmpty()) {
            return false;
        }
        return modelCalls.getLast().requested().stream()
                .noneMatch(requested -> calls.stream().anyMatch(call -> call.id().equals(requested.id())));
    }
}
