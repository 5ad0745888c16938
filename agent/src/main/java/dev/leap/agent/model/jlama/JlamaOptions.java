package dev.leap.agent.model.jlama;

/**
 * How Leap runs a Jlama model.
 *
 * @param temperature sampling temperature; 0 always takes the likeliest token (greedy, repeatable)
 * @param maxNewTokens most tokens one reply may generate, its end-of-turn token included
 * @param threads threads for Jlama's matrix kernels, or {@code null} for Jlama's default (half the
 *     available processors, at least two). Jlama has one thread pool per process, fixed by the
 *     first model loaded.
 * @param cachedPositions positions of attention state kept for prompt reuse, across conversations;
 *     0 turns reuse off. Each position costs {@code 2 × layers × kv heads × head size} floats.
 * @param contextLength most positions a model call may use, prompt and reply together, or 0 for all
 *     the model was trained for. Jlama keeps a table of rotary angles for every position the model
 *     holds: for Llama 3.2's 131,072 positions that is over 100 MB of heap, for prompts a CPU would
 *     take the better part of an hour to read.
 */
public record JlamaOptions(float temperature, int maxNewTokens, Integer threads, int cachedPositions,
        int contextLength) {

    /** Low enough for tool-call JSON to come out well formed, high enough to avoid greedy loops. */
    public static final float DEFAULT_TEMPERATURE = 0.3f;

    /** Enough for a paragraph-long answer or a tool call with sizeable arguments. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 512;

    /**
     * Room for one conversation's state (a turn's prompt is about 2,700 tokens with the tools) and
     * some shorter prompts' beside it: 256 MB of state for Llama 3.2 1B.
     */
    public static final int DEFAULT_CACHED_POSITIONS = 4_096;

    /**
     * Six times what one of Leap's turns takes (the system prompt and the tools, ~2,700 tokens for
     * Llama's tokenizer, then the conversation), and a rotary table of 14 MB instead of 117 MB.
     */
    public static final int DEFAULT_CONTEXT_LENGTH = 16_384;

    public JlamaOptions {
        if (!Float.isFinite(temperature) || temperature < 0) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, was " + temperature);
        }
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be positive, was " + maxNewTokens);
        }
        if (cachedPositions < 0) {
            throw new IllegalArgumentException("cachedPositions must be 0 or more, was " + cachedPositions);
        }
        if (contextLength < 0) {
            throw new IllegalArgumentException("contextLength must be 0 (the model's own) or more, was " + contextLength);
        }
        if (threads != null && (threads <= 0 || threads > Runtime.getRuntime().availableProcessors())) {
            throw new IllegalArgumentException("threads must be between 1 and the "
                    + Runtime.getRuntime().availableProcessors() + " available processors, was " + threads);
        }
    }

    public static JlamaOptions defaults() {
        return new JlamaOptions(DEFAULT_TEMPERATURE, DEFAULT_MAX_NEW_TOKENS, null, DEFAULT_CACHED_POSITIONS,
                DEFAULT_CONTEXT_LENGTH);
    }

    public JlamaOptions withTemperature(float temperature) {
        return new JlamaOptions(temperature, maxNewTokens, threads, cachedPositions, contextLength);
    }

    public JlamaOptions withCachedPositions(int cachedPositions) {
        return new JlamaOptions(temperature, maxNewTokens, threads, cachedPositions, contextLength);
    }

    public JlamaOptions withContextLength(int contextLength) {
        return new JlamaOptions(temperature, maxNewTokens, threads, cachedPositions, contextLength);
    }

    public JlamaOptions withMaxNewTokens(int maxNewTokens) {
        return new JlamaOptions(temperature, maxNewTokens, threads, cachedPositions, contextLength);
    }
}
