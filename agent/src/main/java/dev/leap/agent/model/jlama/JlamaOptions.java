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
 */
public record JlamaOptions(float temperature, int maxNewTokens, Integer threads, int cachedPositions) {

    /** Low enough for tool-call JSON to come out well formed, high enough to avoid greedy loops. */
    public static final float DEFAULT_TEMPERATURE = 0.3f;

    /** Enough for a paragraph-long answer or a tool call with sizeable arguments. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 512;

    /** Room for the shared prefix and a few conversations: 256 MB of state for Llama 3.2 1B. */
    public static final int DEFAULT_CACHED_POSITIONS = 4_096;

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
        if (threads != null && (threads <= 0 || threads > Runtime.getRuntime().availableProcessors())) {
            throw new IllegalArgumentException("threads must be between 1 and the "
                    + Runtime.getRuntime().availableProcessors() + " available processors, was " + threads);
        }
    }

    public static JlamaOptions defaults() {
        return new JlamaOptions(DEFAULT_TEMPERATURE, DEFAULT_MAX_NEW_TOKENS, null, DEFAULT_CACHED_POSITIONS);
    }

    public JlamaOptions withTemperature(float temperature) {
        return new JlamaOptions(temperature, maxNewTokens, threads, cachedPositions);
    }

    public JlamaOptions withCachedPositions(int cachedPositions) {
        return new JlamaOptions(temperature, maxNewTokens, threads, cachedPositions);
    }

    public JlamaOptions withMaxNewTokens(int maxNewTokens) {
        return new JlamaOptions(temperature, maxNewTokens, threads, cachedPositions);
    }
}
