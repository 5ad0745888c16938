package dev.leap.agent.turn;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.leap.tools.actions.AgentTool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the {@link Assistant} AI service over a chat model and Leap's tools. */
public final class Assistants {

    private Assistants() {
    }

    /**
     * @param maxSteps how many rounds of tool calls one turn may take before it is stopped
     */
    public static Assistant create(ChatModel model, List<AgentTool> tools, ConversationMemory memory, int maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("a turn needs at least one step, not " + maxSteps);
        }
        Map<ToolSpecification, ToolExecutor> executors = new LinkedHashMap<>();
        tools.forEach(tool -> executors.put(tool.specification(), new TurnToolExecutor(tool)));
        String names = tools.stream().map(AgentTool::name).collect(Collectors.joining(", "));
        return AiServices.builder(Assistant.class)
                .chatModel(model)
                .chatMemoryProvider(memory)
                .tools(executors)
                .maxToolCallingRoundTrips(maxSteps)
                .registerListeners(new ModelCallRecorder())
                .hallucinatedToolNameStrategy(request -> ToolExecutionResultMessage.from(request,
                        "Error: there is no tool named '" + request.name() + "'. The tools are: " + names + "."))
                .build();
    }
}
