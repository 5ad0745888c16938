package dev.leap.connectors.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Leap's configuration. Every key can be given as an environment variable too:
 * {@code leap.model.provider} is {@code LEAP_MODEL_PROVIDER}. The README has the full table.
 */
@ConfigMapping(prefix = "leap")
public interface LeapConfig {

    /** Where the log, the models and the tokens live. */
    @WithDefault("${user.home}/.leap")
    Path dataDir();

    Model model();

    AgentLimits agent();

    Http http();

    interface Model {
        /** {@code jlama} (in-process, the default) or {@code openai} (any OpenAI-compatible server). */
        @WithDefault("jlama")
        String provider();

        /** Jlama: a Hugging Face name or a model directory; OpenAI-compatible: the server's model. */
        Optional<String> name();

        /** The OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama. */
        Optional<URI> baseUrl();

        Optional<String> apiKey();

        /** Where Jlama models are kept; defaults to models/ in the data directory. */
        Optional<Path> cacheDir();

        @WithDefault("0.2")
        double temperature();

        @WithDefault("512")
        int maxNewTokens();

        @WithDefault("120s")
        Duration timeout();
    }

    interface AgentLimits {
        /** Rounds of tool calls one turn may take. */
        @WithDefault("6")
        int maxSteps();

        /** Messages of each conversation the model sees. */
        @WithDefault("20")
        int memoryMessages();
    }

    interface Http {
        /** The owner's API token; generated into the data directory when not given. */
        Optional<String> ownerToken();

        /** The auditor's read-only token; generated into the data directory when not given. */
        Optional<String> auditorToken();
    }
}
