package dev.leap.agent.turn;

import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.leap.agent.inbox.MessageReceived;
import dev.leap.tools.Provenance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the tools of one turn share: the provenance their events carry, and the record of each
 * model answer and tool call for the turn's audit trail. It travels with the AI service call as an invocation parameter,
 * so tools learn which turn they act for explicitly, not from a thread-local.
 */
final class TurnContext {

    private static final String KEY = "leap.turn";

    private final Provenance provenance;
    private final MessageReceived message;
    private final List<ToolCall> calls = new ArrayList<>();
    private final List<ModelCall> modelCalls = new ArrayList<>();
    private final Map<String, ToolCall> succeeded = new HashMap<>();
    private int callsAtLastModelCall;

    /** @param message the owner's message that started the turn: only its words can authorise destruction */
    TurnContext(Provenance provenance, MessageReceived message) {
        this.provenance = provenance;
        this.message = message;
    }

    MessageReceived message() {
        return message;
    }

    String ownerWords() {
        return message.message().text();
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

    /** Notes that {@code call} carried out the request {@code key} (tool name and canonical arguments). */
    synchronized void remember(String key, ToolCall call) {
        succeeded.put(key, call);
    }

    /** The earlier call of this turn that already carried out the request {@code key}, if any. */
    synchronized Optional<ToolCall> succeededCall(String key) {
        return Optional.ofNullable(succeeded.get(key));
    }

    synchronized void recordModelCall(ModelCall call) {
        modelCalls.add(call);
        callsAtLastModelCall = calls.size();
    }

    synchronized List<ModelCall> modelCalls() {
        return List.copyOf(modelCalls);
    }

    /**
     * Whether the model's last answer asked for tools that never ran: the AI service stopped the
     * turn at its step limit instead of running them.
     */
    synchronized boolean stoppedWithCallsPending() {
        return !modelCalls.isEmpty() && !modelCalls.getLast().requested().isEmpty() && calls.size() == callsAtLastModelCall;
    }
}
