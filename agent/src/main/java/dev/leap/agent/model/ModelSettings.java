package dev.leap.agent.model;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Which model answers, and how.
 *
 * @param provider         Jlama in this process, or any server speaking OpenAI's chat-completions API
 * @param name             for Jlama a Hugging Face name ({@code owner/model}) or a local model directory;
 *                         for an OpenAI-compatible server the model it should use
 * @param baseUrl          the OpenAI-compatible server, e.g. {@code http://localhost:11434/v1}; unused by Jlama
 * @param apiKey           the server's key, if it wants one
 * @param cacheDirectory   where Jlama models are downloaded to and looked for
 * @param workingDirectory where Jlama may write working files
 * @param temperature      0 for the most predictable answers
 * @param maxNewTokens     the longest answer one model call may produce
 * @param contextLength    for Jlama, the most positions (prompt and answer) a model call may use; 0 for
 *                         all the model was trained for
 * @param timeout          how long one call to a server may take
 */
public record ModelSettings(Provider provider, String name, URI baseUrl, String apiKey, Path cacheDirectory,
        Path workingDirectory, double temperature, int maxNewTokens, int contextLength, Duration timeout) {

    /** The model Leap uses when none is configured; see the README for why this one. */
    public static final String DEFAULT_JLAMA_MODEL = "tjake/Llama-3.2-1B-Instruct-JQ4";

    public ModelSettings {
        Objects.requireNonNull(provider, "provider");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model name is required");
        }
        if (provider == Provider.OPENAI && baseUrl == null) {
            throw new IllegalArgumentException("the OpenAI-compatible provider needs a base URL, e.g. http://localhost:11434/v1");
        }
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        if (temperature < 0 || temperature > 2) {
            throw new IllegalArgumentException("the temperature is between 0 and 2, not " + temperature);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens is at least 1, not " + maxNewTokens);
        }
        if (contextLength < 0) {
            throw new IllegalArgumentException("the context length is a number of tokens, or 0 for the model's own, not "
                    + contextLength);
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    public enum Provider {
        JLAMA,
        OPENAI;

        public static Provider parse(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "jlama" -> JLAMA;
                case "openai", "openai-compatible" -> OPENAI;
                default -> throw new IllegalArgumentException(
                        "the model provider is 'jlama' or 'openai', not '" + value + "'");
            };
        }
    }
}
