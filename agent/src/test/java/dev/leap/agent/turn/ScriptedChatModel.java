package dev.leap.agent.turn;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * A chat model that plays a script: each call takes the next answer. It stands in for a real model
 * (which cannot run in a test) while everything around it — AI service, tool loop, tools, log — is real.
 */
public final class ScriptedChatModel implements ChatModel {

    private final Deque<Supplier<AiMessage>> script = new ArrayDeque<>();
    private final List<ChatRequest> requests = new ArrayList<>();

    public ScriptedChatModel thenCall(String callId, String tool, String arguments) {
        AiMessage message = AiMessage.from(
                ToolExecutionRequest.builder().id(callId).name(tool).arguments(arguments).build());
        script.add(() -> message);
        return this;
    }

    public ScriptedChatModel thenSay(String text) {
        script.add(() -> AiMessage.from(text));
        return this;
    }

    public ScriptedChatModel thenFail(RuntimeException error) {
        script.add(() -> {
            throw error;
        });
        return this;
    }

    /** Calls {@code tool} with the same arguments forever: a model stuck in a loop. */
    public ScriptedChatModel keepCalling(String tool, String arguments) {
        for (int i = 0; i < 1_000; i++) {
            thenCall("loop-" + i, tool, arguments);
        }
        return this;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        requests.add(request);
        if (script.isEmpty()) {
            throw new AssertionError("the model was called more often than the script allows: " + request.messages());
        }
        return ChatResponse.builder().aiMessage(script.removeFirst().get()).build();
    }

    public List<ChatRequest> requests() {
        return requests;
    }

    /** The tool results the model was shown, in order. */
    public List<String> toolResultsSeen() {
        List<String> results = new ArrayList<>();
        if (requests.isEmpty()) {
            return results;
        }
        for (ChatMessage message : requests.getLast().messages()) {
            if (message instanceof ToolExecutionResultMessage result) {
                results.add(result.text());
            }
        }
        return results;
    }
}
