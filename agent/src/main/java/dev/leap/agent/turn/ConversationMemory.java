package dev.leap.agent.turn;

import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-term memory per conversation: the last messages of each chat, bounded so that prompts
 * stay small. It lives in memory for now; the log holds every message for good.
 */
public final class ConversationMemory implements ChatMemoryProvider {

    private final int maxMessages;
    private final Map<Object, ChatMemory> memories = new ConcurrentHashMap<>();

    public ConversationMemory(int maxMessages) {
        if (maxMessages < 2) {
            throw new IllegalArgumentException("a conversation memory keeps at least 2 messages, not " + maxMessages);
        }
        this.maxMessages = maxMessages;
    }

    @Override
    public ChatMemory get(Object conversation) {
        return memories.computeIfAbsent(conversation,
                id -> MessageWindowChatMemory.builder().id(id).maxMessages(maxMessages).build());
    }

    /** Drops a conversation's memory, e.g. after a turn failed half-way through a tool exchange. */
    public void forget(Object conversation) {
        memories.remove(conversation);
    }
}
