package dev.leap.agent.turn;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.observability.api.event.AiServiceResponseReceivedEvent;
import dev.langchain4j.observability.api.listener.AiServiceResponseReceivedListener;
import java.util.ArrayList;
import java.util.List;

/** Keeps every answer the model gives during a turn in the turn's context, for the audit trail. */
final class ModelCallRecorder implements AiServiceResponseReceivedListener {

    @Override
    public void onEvent(AiServiceResponseReceivedEvent event) {
        AiMessage message = event.response().aiMessage();
        List<ModelCall.Requested> requested = new ArrayList<>();
        if (message.hasToolExecutionRequests()) {
            for (ToolExecutionRequest request : message.toolExecutionRequests()) {
                requested.add(new ModelCall.Requested(request.id(), request.name(), request.arguments()));
            }
        }
        TokenUsage usage = event.response().tokenUsage();
        TurnContext.of(event.invocationContext()).recordModelCall(new ModelCall(message.text(), requested,
                usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount()));
    }
}
