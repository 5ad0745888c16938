package dev.leap.agent.turn;

import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the model remembers of each conversation: its last messages, bounded so that prompts stay
 * small. A conversation's memory starts from its recent exchanges in the log, so a restart keeps
 * the context; within a turn it also holds the tool calls and their results.
 */
public final class ConversationMemory implements ChatMemoryProvider {

    /** Roughly how much earlier text a conversation brings into a prompt. */
    static final int MAX_CHARACTERS = 6_000;

    private final int maxMessages;
    private final ConversationHistory history;
    private final Map<Object, ChatMemory> memories = new ConcurrentHashMap<>();

    /** @param history where a conversation's earlier exchanges are read from; null for none */
    public ConversationMemory(int maxMessages, ConversationHistory history) {
        if (maxMessages < 2) {
            throw new IllegalArgumentException("a conversation memory keeps at least 2 messages, not " + maxMessages);
        }
        this.maxMessages = maxMessages;
        this.history = history;
    }

    @Override
    public ChatMemory get(Object conversation) {
        return memories.computeIfAbsent(conversation, id -> {
            ChatMemory memory = MessageWindowChatMemory.builder().id(id).maxMessages(maxMessages).build();
            if (history != null) {
                history.recent(id.toString(), maxMessages / 2 * 2, MAX_CHARACTERS).forEach(memory::add);
            }
            return memory;
        });
    }

    /** Drops a conversation's memory, e.g. after a turn failed half-way through a tool exchange. */
    public void forget(Object conversation) {
        memories.remove(conversation);
    }
}
