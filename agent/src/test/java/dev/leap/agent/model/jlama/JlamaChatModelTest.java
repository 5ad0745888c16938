package dev.leap.agent.model.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import com.github.tjake.jlama.safetensors.prompt.PromptSupport;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.leap.agent.model.jlama.SyntheticModel.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JlamaChatModelTest {

    private static final int MAX_NEW_TOKENS = 24;

    private static final ToolSpecification CREATE_RECORD = ToolSpecification.builder()
            .name("create_record")
            .description("Stores a record in a collection")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("collection", "The collection, e.g. contacts")
                    .addProperty("fields", JsonObjectSchema.builder()
                            .addStringProperty("name")
                            .addStringProperty("email")
                            .additionalProperties(true)
                            .build())
                    .required("collection", "fields")
                    .build())
            .build();

    private static final ToolSpecification SEARCH_RECORDS = ToolSpecification.builder()
            .name("search_records")
            .description("Finds records matching a query")
            .parameters(JsonObjectSchema.builder().addStringProperty("query").required("query").build())
            .build();

    @TempDir
    static Path temp;

    private static Path modelDirectory;
    private static Path workingDirectory;
    private static JlamaChatModel model;

    @BeforeAll
    static void loadTinyModel() {
        modelDirectory = SyntheticModel.write(temp.resolve("model"), Shape.tiny(), 42);
        workingDirectory = temp.resolve("work");
        model = JlamaChatModel.load(modelDirectory, workingDirectory, JlamaOptions.defaults().withTemperature(0).withMaxNewTokens(MAX_NEW_TOKENS));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void answers_a_system_and_user_message_with_two_tools_within_max_new_tokens_and_leaves_no_files() throws IOException {
        ChatRequest request = request(List.of(
                SystemMessage.from("You are Leap, a personal assistant."),
                UserMessage.from("Please add Ada Lovelace to my contacts.")));

        ChatResponse response = model.chat(request);

        assertThat(response.aiMessage()).isNotNull();
        int generated = response.tokenUsage().outputTokenCount();
        assertThat(generated).isBetween(1, MAX_NEW_TOKENS);
        if (response.finishReason() == FinishReason.LENGTH) {
            assertThat(generated).isEqualTo(MAX_NEW_TOKENS);
        }
        assertThat(response.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH, FinishReason.TOOL_EXECUTION);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(promptTokens(request));
        assertThat(response.tokenUsage().totalTokenCount())
                .isEqualTo(response.tokenUsage().inputTokenCount() + generated);
        assertThat(response.modelName()).isEqualTo("model");

        try (Stream<Path> left = Files.walk(workingDirectory)) {
            assertThat(left.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
                    .as("no KV-cache page files (only Leap's kernels may be there)")
                    .allMatch(name -> name.startsWith("libleapkernels"));
        }
        try (Stream<Path> files = Files.list(modelDirectory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                    "model.safetensors", ".finished");
        }
    }

    @Test
    void at_temperature_zero_the_same_request_gives_the_same_reply() {
        ChatRequest request = request(List.of(
                SystemMessage.from("You are Leap."), UserMessage.from("What is on my list for tomorrow?")));

        ChatResponse first = model.chat(request);
        ChatResponse second = model.chat(request);

        assertThat(second.aiMessage()).isEqualTo(first.aiMessage());
        assertThat(second.tokenUsage()).isEqualTo(first.tokenUsage());
        assertThat(second.finishReason()).isEqualTo(first.finishReason());
    }

    @Test
    void a_conversation_with_an_earlier_tool_call_and_its_result_renders_and_generates() {
        List<ChatMessage> conversation = List.of(
                SystemMessage.from("You are Leap."),
                UserMessage.from("Add Ada to my contacts."),
                AiMessage.from(ToolExecutionRequest.builder()
                        .id("call_0")
                        .name("create_record")
                        .arguments("{\"collection\": \"contacts\", \"fields\": {\"name\": \"Ada\"}}")
                        .build()),
                ToolExecutionResultMessage.from("call_0", "create_record", "{\"id\": 17, \"status\": \"created\"}"),
                AiMessage.from("I added Ada to your contacts."),
                UserMessage.from("Thanks! Now find her."));

        String prompt = ConversationPrompt.render(
                        promptSupport(), conversation, ToolDefinitions.toJlama(List.of(CREATE_RECORD, SEARCH_RECORDS)))
                .getPrompt();
        ChatResponse response = model.chat(request(conversation));

        assertThat(prompt)
                .contains("Environment: ipython")
                .contains("\"name\": \"search_records\"")
                .contains("<|start_header_id|>assistant<|end_header_id|>\n\n"
                        + "{\"name\": \"create_record\", \"parameters\": {\"collection\": \"contacts\", \"fields\": {\"name\": \"Ada\"}}}<|eot_id|>")
                .contains("<|start_header_id|>ipython<|end_header_id|>\n\n{\"id\": 17, \"status\": \"created\"}<|eot_id|>")
                .contains("<|start_header_id|>assistant<|end_header_id|>\n\nI added Ada to your contacts.<|eot_id|>")
                .endsWith("Thanks! Now find her.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(promptTokens(request(conversation)));
        assertThat(response.tokenUsage().outputTokenCount()).isBetween(1, MAX_NEW_TOKENS);
    }

    @Test
    void a_request_can_lower_the_reply_length() {
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("Tell me a long story about the sea."))
                .maxOutputTokens(3)
                .build());

        assertThat(response.tokenUsage().outputTokenCount()).isBetween(1, 3);
    }

    @Test
    void a_prompt_longer_than_the_context_is_refused_naming_both_lengths() {
        String longMessage = " hello".repeat(3000);

        assertThatThrownBy(() -> model.chat(request(List.of(UserMessage.from(longMessage)))))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    Matcher lengths = Pattern.compile("The prompt is (\\d+) tokens long, but model model holds at most (\\d+) tokens")
                            .matcher(e.getMessage());
                    assertThat(lengths.find()).as(e.getMessage()).isTrue();
                    assertThat(Integer.parseInt(lengths.group(1))).isGreaterThan(3000);
                    assertThat(Integer.parseInt(lengths.group(2))).isEqualTo(model.contextLength());
                });
        assertThat(model.contextLength()).isLessThanOrEqualTo(Shape.tiny().contextLength());
    }

    @Test
    void a_shorter_context_holds_fewer_positions_and_computes_those_it_holds_as_the_full_context_does() {
        ChatRequest request = request(List.of(
                SystemMessage.from("You are Leap."), UserMessage.from("Remind me to call Ann on Friday.")));
        ChatRequest longer = request(List.of(UserMessage.from(" hello".repeat(600))));

        try (JlamaChatModel shorter = JlamaChatModel.load(modelDirectory, workingDirectory,
                JlamaOptions.defaults().withTemperature(0).withMaxNewTokens(MAX_NEW_TOKENS).withContextLength(512))) {
            assertThat(shorter.contextLength()).isBetween(500, 512);
            assertThat(model.contextLength()).isGreaterThan(2000);

            ChatResponse full = model.chat(request);
            ChatResponse cut = shorter.chat(request);

            assertThat(cut.aiMessage()).isEqualTo(full.aiMessage());
            assertThat(cut.tokenUsage()).isEqualTo(full.tokenUsage());
            assertThat(promptTokens(longer)).isBetween(600, 2000);
            assertThatThrownBy(() -> shorter.chat(longer)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("holds at most " + shorter.contextLength() + " tokens");
            assertThat(model.chat(longer).tokenUsage().outputTokenCount()).isPositive();
        }
    }

    @Test
    void a_prompt_that_fills_the_context_up_to_its_last_position_still_gets_a_reply() {
        int oneWord = promptTokens(ChatRequest.builder().messages(UserMessage.from("hello")).build());
        int words = model.contextLength() - oneWord;   // each further " hello" is one token
        ChatRequest full = ChatRequest.builder().messages(UserMessage.from("hello" + " hello".repeat(words - 1))).build();
        ChatRequest overfull = ChatRequest.builder().messages(UserMessage.from("hello" + " hello".repeat(words))).build();
        assertThat(promptTokens(full)).isEqualTo(model.contextLength() - 1);

        ChatResponse response = model.chat(full);

        assertThat(response.tokenUsage().outputTokenCount()).as("one token from the prompt, one from the last position")
                .isBetween(1, 2);
        assertThat(response.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
        assertThatThrownBy(() -> model.chat(overfull)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_user_message_with_an_image_is_refused() {
        UserMessage withImage = UserMessage.from(
                TextContent.from("Who is this?"), ImageContent.from("https://example.com/ada.png"));

        assertThatThrownBy(() -> model.chat(withImage))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("text only")
                .hasMessageContaining("IMAGE");
    }

    @Test
    void requests_from_several_threads_each_get_the_reply_they_would_get_alone() throws Exception {
        ChatRequest request = request(List.of(UserMessage.from("Remind me to call mother.")));
        ChatResponse alone = model.chat(request);

        List<Callable<ChatResponse>> callers = IntStream.range(0, 4).<Callable<ChatResponse>>mapToObj(i -> () -> model.chat(request)).toList();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (Future<ChatResponse> reply : threads.invokeAll(callers)) {
                assertThat(reply.get().aiMessage()).isEqualTo(alone.aiMessage());
                assertThat(reply.get().tokenUsage()).isEqualTo(alone.tokenUsage());
            }
        }
    }

    @Test
    void a_reply_holding_a_call_to_an_offered_tool_becomes_a_tool_execution_request() {
        JlamaChatModel.Reply reply = new JlamaChatModel.Reply(120, 19, FinishReason.STOP,
                "{\"name\": \"search_records\", \"parameters\": {\"query\": \"Ada\"}}");

        ChatResponse response = JlamaChatModel.response("tiny", reply, Set.of("create_record", "search_records"));

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(response.aiMessage().text()).isNull();
        assertThat(response.aiMessage().toolExecutionRequests()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("search_records");
            assertThat(call.arguments()).isEqualTo("{\"query\":\"Ada\"}");
        });
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(120);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(19);
    }

    @Test
    void a_reply_without_a_call_keeps_its_text_and_finish_reason() {
        JlamaChatModel.Reply cutOff = new JlamaChatModel.Reply(50, 24, FinishReason.LENGTH,
                "I would call {\"name\": \"wire_money\", \"parameters\": {}} but I may not");

        ChatResponse response = JlamaChatModel.response("tiny", cutOff, Set.of("search_records"));

        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.aiMessage().text()).isEqualTo(cutOff.text());
    }

    /** Generation runs on a thread of Jlama's matrix pool; what it throws reaches the caller unchanged. */
    @Test
    void work_runs_on_the_matrix_pool_and_its_failures_reach_the_caller_as_thrown() {
        Thread caller = Thread.currentThread();
        Thread ranOn = JlamaChatModel.onMatrixThreads(Thread::currentThread);
        assertThat(ranOn).isNotSameAs(caller).isInstanceOf(ForkJoinWorkerThread.class);
        // From a thread of the pool, work runs where it is.
        assertThat(JlamaChatModel.onMatrixThreads(() -> JlamaChatModel.onMatrixThreads(Thread::currentThread)))
                .isInstanceOf(ForkJoinWorkerThread.class);

        IllegalArgumentException refusal = new IllegalArgumentException("the prompt is too long");
        assertThatThrownBy(() -> JlamaChatModel.onMatrixThreads(() -> {
            throw refusal;
        })).isSameAs(refusal);
        OutOfMemoryError error = new OutOfMemoryError("Direct buffer memory");
        assertThatThrownBy(() -> JlamaChatModel.onMatrixThreads(() -> {
            throw error;
        })).isSameAs(error);
    }

    @Test
    void a_closed_model_refuses_further_requests() {
        JlamaChatModel second = JlamaChatModel.load(modelDirectory, temp.resolve("second-work"), JlamaOptions.defaults());
        second.close();
        second.close();

        assertThatThrownBy(() -> second.chat("Hello"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void a_directory_without_a_model_is_refused() {
        assertThatThrownBy(() -> JlamaChatModel.load(temp.resolve("nothing"), temp.resolve("w"), JlamaOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.json");
    }

    private static ChatRequest request(List<ChatMessage> messages) {
        return ChatRequest.builder().messages(messages).toolSpecifications(CREATE_RECORD, SEARCH_RECORDS).build();
    }

    /** The prompt's length as Jlama's template and the byte-level codec count it, plus the begin-of-text token. */
    private static int promptTokens(ChatRequest request) {
        List<ToolSpecification> tools = request.parameters().toolSpecifications();
        String prompt = ConversationPrompt.render(promptSupport(), request.messages(),
                        ToolDefinitions.toJlama(tools == null ? List.of() : tools))
                .getPrompt();
        return new TokenCodec(new LlamaTokenizer(modelDirectory)).encode(prompt).length + 1;
    }

    private static PromptSupport promptSupport() {
        return new LlamaTokenizer(modelDirectory).promptSupport().orElseThrow();
    }
}
