package dev.leap.agent.model.jlama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.safetensors.prompt.PromptSupport;
import com.github.tjake.jlama.safetensors.prompt.Tool;
import com.github.tjake.jlama.safetensors.prompt.ToolCall;
import com.github.tjake.jlama.safetensors.prompt.ToolResult;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A LangChain4j conversation rendered as prompt text by the model's own chat template. */
final class ConversationPrompt {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConversationPrompt() {}

    static PromptContext render(PromptSupport promptSupport, List<ChatMessage> messages, List<Tool> tools) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("A chat request needs at least one message");
        }
        PromptSupport.Builder prompt = promptSupport.builder();
        for (ChatMessage message : messages) {
            switch (message) {
                case SystemMessage system -> prompt.addSystemMessage(system.text());
                case UserMessage user -> prompt.addUserMessage(text(user));
                case AiMessage ai -> addAssistantTurn(prompt, ai);
                case ToolExecutionResultMessage result ->
                        prompt.addToolResult(ToolResult.from(
                                result.toolName(), result.id(), result.text() == null ? "" : result.text()));
                default -> throw new UnsupportedFeatureException(
                        "Jlama models cannot read " + message.type() + " messages");
            }
        }
        return tools.isEmpty() ? prompt.build() : prompt.build(tools);
    }

    private static String text(UserMessage user) {
        for (Content content : user.contents()) {
            if (!(content instanceof TextContent)) {
                throw new UnsupportedFeatureException(
                        "Jlama models read text only; a user message contains " + content.type() + " content");
            }
        }
        return user.contents().stream().map(c -> ((TextContent) c).text()).collect(Collectors.joining("\n"));
    }

    /** Text first, then each call as its own assistant turn: the Llama 3 format has one call per turn. */
    private static void addAssistantTurn(PromptSupport.Builder prompt, AiMessage ai) {
        if (ai.text() != null && !ai.text().isBlank()) {
            prompt.addAssistantMessage(ai.text());
        }
        List<ToolExecutionRequest> requests = ai.toolExecutionRequests();
        for (int i = 0; i < requests.size(); i++) {
            ToolExecutionRequest request = requests.get(i);
            // Jlama's prompt builder cannot hold a call without an id (it uses Map.of).
            String id = request.id() != null ? request.id() : "call_" + i;
            prompt.addToolCall(new ToolCall(request.name(), id, arguments(request)));
        }
    }

    private static Map<String, Object> arguments(ToolExecutionRequest request) {
        String arguments = request.arguments();
        if (arguments == null || arguments.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(arguments, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The arguments of the earlier call to tool '" + request.name()
                    + "' (id " + request.id() + ") are not a JSON object: " + arguments, e);
        }
    }
}
