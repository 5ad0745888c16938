package dev.leap.connectors.service;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.leap.agent.Agent;
import dev.leap.agent.inbox.FileStore;
import dev.leap.agent.Toolbox;
import dev.leap.agent.reminders.Reminders;
import dev.leap.agent.turn.ConversationHistory;
import dev.leap.tools.files.ExportService;
import dev.leap.tools.files.ImportService;
import dev.leap.tools.records.SemanticIndex;
import dev.leap.tools.undo.TurnIndex;
import java.time.DateTimeException;
import java.time.ZoneId;
import dev.leap.agent.delivery.ReplyChannel;
import dev.leap.agent.inbox.Refusals;
import dev.leap.agent.model.ChatModels;
import dev.leap.agent.model.ConsoleProgress;
import dev.leap.agent.model.ModelSettings;
import dev.leap.agent.owners.Gate;
import dev.leap.agent.owners.Owners;
import dev.leap.agent.owners.Pairing;
import dev.leap.agent.turn.Assistant;
import dev.leap.agent.turn.Assistants;
import dev.leap.agent.turn.ConversationMemory;
import dev.leap.agent.turn.TurnRunner;
import dev.leap.store.EventLog;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.store.kurrentdb.KurrentEventLog;
import dev.leap.tools.records.Checkpoints;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordService;
import io.quarkus.arc.All;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Wires Leap together: one log, the projections over it, the tools, the model and the agent. The
 * connectors only ever see {@link Agent}, {@link EventLog} and {@link Tokens}.
 */
public final class Components {

    @Produces
    @Singleton
    EventLog eventLog(LeapConfig config) {
        return switch (config.store().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "embedded" -> SqliteEventLog.openIn(config.dataDir());
            case "kurrentdb" -> KurrentEventLog.connect(config.kurrentdb().connectionString().orElseThrow(
                    () -> new IllegalArgumentException("leap.store is kurrentdb: set leap.kurrentdb.connection-string "
                            + "(LEAP_KURRENTDB_CONNECTION_STRING), e.g. kurrentdb://localhost:2113?tls=false")));
            default -> throw new IllegalArgumentException("leap.store (LEAP_STORE) is embedded or kurrentdb, not '"
                    + config.store() + "'");
        };
    }

    void closeEventLog(@Disposes EventLog log) {
        log.close();
    }

    @Produces
    @Singleton
    RecordProjection recordProjection(EventLog log, LeapConfig config) {
        return new RecordProjection(log, checkpoints(config));
    }

    /** On a clean stop, save the records' state, so that the next start folds nothing it has folded before. */
    void checkpointRecords(@Disposes RecordProjection projection) {
        projection.checkpoint();
    }

    /** Where the record projection saves its states; the auditor's "as of" folds from them too. */
    public static Checkpoints checkpoints(LeapConfig config) {
        return new Checkpoints(config.dataDir().resolve("projections"), 20);
    }

    @Produces
    @Singleton
    RecordService recordService(EventLog log, RecordProjection projection) {
        return new RecordService(log, projection);
    }

    @Produces
    @Singleton
    ModelSettings modelSettings(LeapConfig config) {
        LeapConfig.Model model = config.model();
        ModelSettings.Provider provider = ModelSettings.Provider.parse(model.provider());
        String name = model.name().orElseGet(() -> {
            if (provider == ModelSettings.Provider.JLAMA) {
                return ModelSettings.DEFAULT_JLAMA_MODEL;
            }
            throw new IllegalArgumentException("set leap.model.name (LEAP_MODEL_NAME) to the model your server should use");
        });
        return new ModelSettings(provider, name, model.baseUrl().orElse(null), model.apiKey().orElse(null),
                model.cacheDir().orElse(config.dataDir().resolve("models")), config.dataDir().resolve("jlama"),
                model.temperature(), model.maxNewTokens(), model.contextLength(), model.timeout());
    }

    @Produces
    @Singleton
    ChatModel chatModel(ModelSettings settings) {
        return ChatModels.open(settings, new ConsoleProgress(System.err));
    }

    void closeChatModel(@Disposes ChatModel model) throws Exception {
        if (model instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** The owner's clock: reminders and "since 9:00" are in the owner's time zone. */
    @Produces
    @Singleton
    Clock clock(LeapConfig config) {
        return Clock.system(config.timezone().filter(zone -> !zone.isBlank()).map(zone -> {
            try {
                return ZoneId.of(zone.strip());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("leap.timezone (LEAP_TIMEZONE) is a time zone such as Europe/Oslo, not '"
                        + zone + "'", e);
            }
        }).orElse(ZoneId.systemDefault()));
    }

    @Produces
    @Singleton
    ConversationMemory conversationMemory(EventLog log, LeapConfig config) {
        return new ConversationMemory(config.agent().memoryMessages(), new ConversationHistory(log));
    }

    /** Finding by meaning, with an embedding model that runs in this process (its weights ship in its jar). */
    @Produces
    @Singleton
    SemanticIndex semanticIndex(RecordProjection projection) {
        return new SemanticIndex(projection, new AllMiniLmL6V2EmbeddingModel());
    }

    @Produces
    @Singleton
    TurnIndex turnIndex(EventLog log) {
        return new TurnIndex(log);
    }

    @Produces
    @Singleton
    ExportService exportService(RecordService records, EventLog log, LeapConfig config, Clock clock) {
        return new ExportService(records, log, config.dataDir().resolve("exports"), clock);
    }

    @Produces
    @Singleton
    TurnRunner turnRunner(EventLog log, ChatModel model, RecordService records, RecordProjection projection,
            SemanticIndex meaning, TurnIndex turns, ExportService exports, Clock clock, ConversationMemory memory,
            ModelSettings settings, LeapConfig config) {
        Assistant assistant = Assistants.create(model,
                Toolbox.of(log, records, projection, meaning, turns, exports, clock), memory, config.agent().maxSteps());
        return new TurnRunner(log, assistant, memory, projection, settings.name());
    }

    /** Replies of HTTP requests travel back in their responses. */
    @Produces
    @Singleton
    ReplyChannel httpReplies() {
        return ReplyChannel.inResponse("http");
    }

    /** Replies to the terminal chat travel back in the responses to its requests. */
    @Produces
    @Singleton
    ReplyChannel terminalReplies() {
        return ReplyChannel.inResponse("cli");
    }

    /** Replies to the web chat page travel back in the responses to its requests. */
    @Produces
    @Singleton
    ReplyChannel webReplies() {
        return ReplyChannel.inResponse("web");
    }

    @Produces
    @Singleton
    Agent agent(EventLog log, TurnRunner turns, @All List<ReplyChannel> channels, RecordProjection projection,
            RecordService records, Clock clock, LeapConfig config) {
        return Agent.over(log, turns, channels, new Reminders(log, projection, channels, clock), new ImportService(records),
                new FileStore(config.dataDir().resolve("files")));
    }

    void closeAgent(@Disposes Agent agent) {
        agent.close();
    }

    @Produces
    @Singleton
    Owners owners(EventLog log, LeapConfig config) {
        return new Owners(log, log, Map.of(
                "telegram", config.telegram().owners().orElse(Set.of()),
                "bluebubbles", config.bluebubbles().owners().orElse(Set.of())));
    }

    /** Pairing codes for the enabled channels that have no owner yet. */
    @Produces
    @Singleton
    List<Pairing> pairings(Owners owners, LeapConfig config) {
        List<Pairing> pairings = new ArrayList<>();
        if (config.telegram().botToken().isPresent()) {
            Pairing.offer("telegram", owners, Clock.systemUTC()).ifPresent(pairings::add);
        }
        if (config.bluebubbles().url().isPresent()) {
            Pairing.offer("bluebubbles", owners, Clock.systemUTC()).ifPresent(pairings::add);
        }
        return List.copyOf(pairings);
    }

    @Produces
    @Singleton
    Gate gate(Owners owners, Refusals refusals, List<Pairing> pairings) {
        return new Gate(owners, refusals, pairings.stream().collect(Collectors.toMap(Pairing::channel, p -> p)));
    }

    @Produces
    @Singleton
    Refusals refusals(EventLog log) {
        return new Refusals(log, Clock.systemUTC());
    }

    @Produces
    @Singleton
    Tokens tokens(LeapConfig config) {
        return Tokens.load(config.dataDir(), config.http().ownerToken(), config.http().auditorToken());
    }
}
