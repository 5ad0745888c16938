package dev.leap.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.ChatModel;
import dev.leap.agent.Agent;
import dev.leap.agent.delivery.ReplyChannel;
import dev.leap.agent.inbox.IncomingMessage;
import dev.leap.agent.model.jlama.JlamaOptions;
import dev.leap.agent.model.jlama.SyntheticModel;
import dev.leap.agent.testing.ChatCompletionsServer;
import dev.leap.agent.turn.Assistants;
import dev.leap.agent.turn.ConversationMemory;
import dev.leap.agent.turn.Reply;
import dev.leap.agent.turn.TurnEvent;
import dev.leap.agent.turn.TurnEventCodec;
import dev.leap.agent.turn.TurnRunner;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.actions.RecordTools;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both model providers, opened by the code the service uses, answering real turns. */
class ChatModelsTest {

    @TempDir
    Path dataDirectory;

    @Test
    void the_openai_compatible_provider_speaks_the_wire_format_including_a_tool_call() throws Exception {
        try (ChatCompletionsServer server = new ChatCompletionsServer();
                SqliteEventLog log = SqliteEventLog.openIn(dataDirectory)) {
            server.thenCall("call_1", "create_record", "{\"collection\":\"notes\",\"fields\":{\"text\":\"buy milk\"}}")
                    .thenSay("Noted.");
            ChatModel model = ChatModels.open(settings(ModelSettings.Provider.OPENAI, "llama3.2",
                    URI.create(server.baseUrl()), "secret"), null);

            Reply reply = agent(log, model, "llama3.2").handle(message("note: buy milk"));

            assertThat(reply.text()).isEqualTo("Noted.\n\nAdded “buy milk” to notes (text: buy milk).");
            JsonNode first = server.requests().get(0);
            assertThat(first.get("model").asText()).isEqualTo("llama3.2");
            assertThat(first.at("/messages/0/role").asText()).isEqualTo("system");
            JsonNode create = Stream.of(first.get("tools")).flatMap(t -> t.valueStream())
                    .filter(t -> t.at("/function/name").asText().equals("create_record")).findFirst().orElseThrow();
            assertThat(create.at("/function/parameters/properties/fields/type").asText()).isEqualTo("object");
            assertThat(create.at("/function/parameters/required")).extracting(JsonNode::asText)
                    .containsExactly("collection", "fields");
            JsonNode second = server.requests().get(1);
            assertThat(second.at("/messages/2/tool_calls/0/id").asText()).isEqualTo("call_1");
            assertThat(ChatCompletionsServer.toolMessages(second)).singleElement()
                    .satisfies(tool -> assertThat(tool.get("tool_call_id").asText()).isEqualTo("call_1"));
            assertThat(server.authorizations()).containsOnly("Bearer secret");
        }
    }

    @Test
    void the_jlama_provider_loads_a_cached_model_and_answers_a_turn_without_any_network() throws Exception {
        Path cache = dataDirectory.resolve("models");
        SyntheticModel.write(cache.resolve("test_tiny-llama"), SyntheticModel.Shape.tiny(), 7);
        ModelSettings settings = settings(ModelSettings.Provider.JLAMA, "test/tiny-llama", null, null);

        ChatModel model = ChatModels.open(settings, null);
        try (SqliteEventLog log = SqliteEventLog.openIn(dataDirectory);
                AutoCloseable closeable = (AutoCloseable) model) {
            Reply reply = agent(log, model, settings.name()).handle(message("hello there"));

            List<RecordedEvent> events = log.readAll(0, 100);
            assertThat(events).extracting(RecordedEvent::type).startsWith("MessageReceived", "TurnStarted")
                    .endsWith("TurnCompleted", "ReplySent");
            RecordedEvent last = events.get(events.size() - 2);
            TurnEvent.TurnCompleted completed = (TurnEvent.TurnCompleted) TurnEventCodec.decode(last).orElseThrow();
            assertThat(completed.reply()).isEqualTo(reply.text());
            assertThat(completed.problem()).isNull();
        }
        try (Stream<Path> left = Files.walk(settings.workingDirectory())) {
            assertThat(left.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
                    .as("Jlama leaves no KV-cache files behind (only Leap's kernels may be there)")
                    .allMatch(name -> name.startsWith("libleapkernels"));
        }
    }

    @Test
    void a_local_model_directory_can_be_named_by_its_path() throws Exception {
        Path folder = SyntheticModel.write(dataDirectory.resolve("my-model"), SyntheticModel.Shape.tiny(), 3);

        assertThat(new LocalModels(dataDirectory.resolve("models")).ensure(folder.toString(), null)).isEqualTo(folder);
    }

    @Test
    void a_model_that_is_neither_cached_nor_downloadable_is_refused_with_instructions() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ModelSettings settings = settings(ModelSettings.Provider.JLAMA, "leap-tests/no-such-model", null, null);

        assertThatThrownBy(() -> ChatModels.open(settings, new ConsoleProgress(new PrintStream(progress, true, StandardCharsets.UTF_8))))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("could not download the model leap-tests/no-such-model")
                .hasMessageContaining(dataDirectory.resolve("models").resolve("leap-tests_no-such-model").toString())
                .hasMessageContaining(".finished")
                .hasMessageContaining("LEAP_MODEL_PROVIDER=openai");
    }

    @Test
    void the_download_progress_bar_shows_the_file_the_share_and_the_sizes() {
        assertThat(ConsoleProgress.line("model.safetensors", 256L << 20, 1L << 30))
                .isEqualTo("Downloading model.safetensors  [#######.......................]  25%  256.0 MB / 1.00 GB");
    }

    private ModelSettings settings(ModelSettings.Provider provider, String name, URI baseUrl, String key) {
        return new ModelSettings(provider, name, baseUrl, key, dataDirectory.resolve("models"),
                dataDirectory.resolve("jlama"), 0, 24, JlamaOptions.DEFAULT_CONTEXT_LENGTH, Duration.ofSeconds(30));
    }

    private static Agent agent(SqliteEventLog log, ChatModel model, String name) {
        RecordProjection projection = new RecordProjection(log);
        ConversationMemory memory = new ConversationMemory(20, null);
        var assistant = Assistants.create(model, RecordTools.all(new RecordService(log, projection), null), memory, 4);
        return Agent.over(log, new TurnRunner(log, assistant, memory, projection, name), List.of(ReplyChannel.inResponse("cli")));
    }

    private static IncomingMessage message(String text) {
        return new IncomingMessage("cli", "owner", "owner", "m-" + text.hashCode(), text);
    }
}
