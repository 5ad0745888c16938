package dev.leap.connectors.service;

import dev.leap.agent.model.jlama.JlamaOptions;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Leap's configuration. Every key can be given as an environment variable too:
 * {@code leap.model.provider} is {@code LEAP_MODEL_PROVIDER}. The README has the full table.
 */
@ConfigMapping(prefix = "leap")
public interface LeapConfig {

    /** Where the log, the models and the tokens live. */
    @WithDefault("${user.home}/.leap")
    Path dataDir();

    /** Where the log lives: {@code embedded} (one SQLite file in the data directory) or {@code kurrentdb}. */
    @WithDefault("embedded")
    String store();

    KurrentDb kurrentdb();

    interface KurrentDb {
        /** The KurrentDB to keep the log in when leap.store is kurrentdb, e.g. kurrentdb://localhost:2113?tls=false. */
        Optional<String> connectionString();
    }

    /** The owner's time zone, e.g. Europe/Oslo, for reminders and times like "since 9:00"; the machine's if not given. */
    Optional<String> timezone();

    Model model();

    AgentLimits agent();

    Http http();

    Telegram telegram();

    BlueBubbles bluebubbles();

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

        /** Jlama: the most tokens one model call may hold, prompt and answer; 0 for all the model allows. */
        @WithDefault("" + JlamaOptions.DEFAULT_CONTEXT_LENGTH)
        int contextLength();

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

    interface Telegram {
        /** The bot's token from BotFather; the Telegram connector runs only when it is set. */
        Optional<String> botToken();

        /** Telegram user ids whose private chats with the bot are obeyed. Empty: pair with /pair. */
        Optional<Set<String>> owners();

        /** The Bot API server: Telegram's, or a self-hosted one. */
        @WithDefault("https://api.telegram.org")
        URI apiUrl();
    }

    interface BlueBubbles {
        /** The BlueBubbles server on the owner's Mac, e.g. http://mac.local:1234; the connector runs only when it is set. */
        Optional<URI> url();

        /** The BlueBubbles server's password, for sending replies. */
        Optional<String> password();

        /** The secret in the webhook URL BlueBubbles calls; generated into the data directory when not given. */
        Optional<String> webhookSecret();

        /** iMessage chat guids or handles (phone numbers, e-mail addresses) that are the owner. Empty: pair with /pair. */
        Optional<Set<String>> owners();
    }

    interface Http {
        /** The owner's API token; generated into the data directory when not given. */
        Optional<String> ownerToken();

        /** The auditor's read-only token; generated into the data directory when not given. */
        Optional<String> auditorToken();
    }
}
