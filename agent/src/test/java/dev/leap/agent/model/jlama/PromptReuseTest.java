package dev.leap.agent.model.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.leap.agent.model.jlama.SyntheticModel.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixed prefix and a conversation's earlier turns are computed once, and the replies are
 * exactly those of a model that computes every prompt from scratch.
 */
class PromptReuseTest {

    static final String SYSTEM = "You are Leap, the owner's personal assistant. Keep the owner's records with your tools.";
    static final List<ToolSpecification> TOOLS = List.of(
            ToolSpecification.builder().name("create_record").description("Save a new record")
                    .parameters(JsonObjectSchema.builder().addStringProperty("collection")
                            .addProperty("fields", JsonObjectSchema.builder().additionalProperties(true).build())
                            .required("collection", "fields").build())
                    .build(),
            ToolSpecification.builder().name("find_records").description("Look up records by words")
                    .parameters(JsonObjectSchema.builder().addStringProperty("words").build())
                    .build());

    @TempDir
    static Path temp;

    static JlamaChatModel reusing;
    static JlamaChatModel fromScratch;
    static Path directory;

    @BeforeAll
    static void load() {
        directory = SyntheticModel.write(temp.resolve("model"), Shape.tiny(), 11);
        JlamaOptions options = JlamaOptions.defaults().withTemperature(0).withMaxNewTokens(12);
        reusing = JlamaChatModel.load(directory, temp.resolve("work-reusing"), options);
        fromScratch = JlamaChatModel.load(directory, temp.resolve("work-scratch"), options.withCachedPositions(0));
    }

    @AfterAll
    static void close() {
        reusing.close();
        fromScratch.close();
    }

    @Test
    void the_system_prompt_and_tools_are_computed_once_for_every_conversation() {
        List<ChatMessage> ann = List.of(SystemMessage.from(SYSTEM), UserMessage.from("Add Ann Lee to my contacts"));
        List<ChatMessage> bob = List.of(SystemMessage.from(SYSTEM), UserMessage.from("Where does Bob live?"));
        ask(reusing, ann);

        JlamaChatModel.Stats before = reusing.stats();
        ChatResponse reply = ask(reusing, bob);
        long computed = reusing.stats().promptTokensComputed() - before.promptTokensComputed();

        int[] annTokens = reusing.promptTokens(ann, TOOLS);
        int[] bobTokens = reusing.promptTokens(bob, TOOLS);
        int shared = PromptCache.commonPrefix(annTokens, bobTokens);
        assertThat(shared).as("the system prompt and tools are most of the prompt").isGreaterThan(bobTokens.length / 2);
        assertThat(computed).isEqualTo(bobTokens.length - shared);
        assertThat(reply.aiMessage()).isEqualTo(ask(fromScratch, bob).aiMessage());
    }

    @Test
    void a_conversation_s_earlier_turns_are_not_computed_again() {
        List<ChatMessage> conversation = new ArrayList<>(List.of(SystemMessage.from(SYSTEM),
                UserMessage.from("Note that the boat needs painting")));
        AiMessage first = ask(reusing, conversation).aiMessage();
        assertThat(first).isEqualTo(ask(fromScratch, conversation).aiMessage());
        int[] earlier = reusing.promptTokens(conversation, TOOLS);
        conversation.add(first.hasToolExecutionRequests() ? AiMessage.from("Noted.") : first);
        conversation.add(UserMessage.from("And remind me on Friday"));

        JlamaChatModel.Stats before = reusing.stats();
        ChatResponse second = ask(reusing, conversation);
        long computed = reusing.stats().promptTokensComputed() - before.promptTokensComputed();

        int[] now = reusing.promptTokens(conversation, TOOLS);
        assertThat(computed).isLessThanOrEqualTo(now.length - earlier.length);
        assertThat(second.aiMessage()).isEqualTo(ask(fromScratch, conversation).aiMessage());
    }

    @Test
    void a_tool_exchange_continues_from_the_cached_request() {
        assertToolExchangeContinuesAndAnswersAsFromScratch(reusing, "Zoë", "Zoë Ångström");
    }

    @Test
    void with_room_for_one_state_a_diverging_prompt_takes_it_over_and_answers_as_from_scratch() {
        // One position kept: the newest state stays, and no second one ever fits beside it.
        try (JlamaChatModel tight = JlamaChatModel.load(directory, temp.resolve("work-tight"),
                JlamaOptions.defaults().withTemperature(0).withMaxNewTokens(12).withCachedPositions(1))) {
            assertToolExchangeContinuesAndAnswersAsFromScratch(tight, "Åsa", "Åsa Berg");
        }
    }

    /**
     * Asks for {@code words}, then sends the call to find them and its result: the second request
     * computes little more than the call and the result, and answers as a model without reuse does.
     */
    private static void assertToolExchangeContinuesAndAnswersAsFromScratch(JlamaChatModel model, String words,
            String found) {
        List<ChatMessage> exchange = new ArrayList<>(List.of(SystemMessage.from(SYSTEM), UserMessage.from("Find " + words)));
        ask(model, exchange);
        int[] asked = model.promptTokens(exchange, TOOLS);
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("call_0").name("find_records")
                .arguments("{\"words\":\"" + words + "\"}").build();
        exchange.add(AiMessage.from(call));
        exchange.add(ToolExecutionResultMessage.from(call, "{\"id\":\"k3m9x2\",\"fields\":{\"name\":\"" + found + "\"}}"));

        JlamaChatModel.Stats before = model.stats();
        ChatResponse answer = ask(model, exchange);
        long computed = model.stats().promptTokensComputed() - before.promptTokensComputed();

        assertThat(computed).isLessThanOrEqualTo(model.promptTokens(exchange, TOOLS).length - asked.length + 1);
        assertThat(answer.aiMessage()).isEqualTo(ask(fromScratch, exchange).aiMessage());
    }

    @Test
    void with_reuse_off_every_prompt_is_computed_in_full() {
        List<ChatMessage> messages = List.of(SystemMessage.from(SYSTEM), UserMessage.from("hello"));
        ask(fromScratch, messages);

        JlamaChatModel.Stats before = fromScratch.stats();
        ask(fromScratch, messages);

        assertThat(fromScratch.stats().promptTokensComputed() - before.promptTokensComputed())
                .isEqualTo(fromScratch.promptTokens(messages, TOOLS).length);
    }

    private static ChatResponse ask(JlamaChatModel model, List<ChatMessage> messages) {
        return model.chat(ChatRequest.builder().messages(messages).toolSpecifications(TOOLS).build());
    }
}
