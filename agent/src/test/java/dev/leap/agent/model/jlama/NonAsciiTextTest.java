package dev.leap.agent.model.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.leap.agent.model.jlama.SyntheticModel.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names with accents, other scripts and emoji survive the whole path: into the prompt through the
 * chat template, and out of generated tokens into text and tool-call arguments.
 */
class NonAsciiTextTest {

    static final String NAMES = "Zoë Ångström, José Núñez, Ærøskøbing, Привет, 東京, שלום, مرحبا, €42 🎉👩‍👩‍👧";

    @TempDir
    static Path temp;

    static Path directory;
    static JlamaChatModel model;
    static TokenCodec codec;

    @BeforeAll
    static void load() {
        directory = SyntheticModel.write(temp.resolve("model"), Shape.tiny(), 21);
        model = JlamaChatModel.load(directory, temp.resolve("work"), JlamaOptions.defaults().withTemperature(0));
        codec = new TokenCodec(new LlamaTokenizer(directory));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void a_message_in_any_script_reaches_the_model_exactly() {
        int[] prompt = model.promptTokens(List.of(SystemMessage.from("You are Leap."), UserMessage.from("Add " + NAMES)),
                List.of());

        String seenByTheModel = codec.decode(Arrays.stream(prompt).boxed().toList());

        assertThat(seenByTheModel).contains("Add " + NAMES);
    }

    @Test
    void generated_tokens_decode_to_the_exact_text_even_when_a_character_spans_several_tokens() {
        int[] generated = codec.encode("Added " + NAMES + " to contacts.");
        assertThat(codec.encode("東")).as("a character this vocabulary lacks is several byte tokens").hasSizeGreaterThan(1);

        String reply = codec.decode(Arrays.stream(generated).boxed().toList());

        assertThat(reply).isEqualTo("Added " + NAMES + " to contacts.");
    }

    @Test
    void a_generated_tool_call_keeps_non_ascii_arguments_intact() {
        String call = "{\"name\": \"create_record\", \"parameters\": {\"collection\": \"contacts\", \"fields\": {\"name\": \""
                + NAMES + "\"}}}";
        String decoded = codec.decode(Arrays.stream(codec.encode(call)).boxed().toList());

        ChatResponse response = JlamaChatModel.response("tiny",
                new JlamaChatModel.Reply(10, 40, FinishReason.STOP, decoded), Set.of("create_record"));

        assertThat(response.aiMessage().toolExecutionRequests()).singleElement()
                .satisfies(request -> assertThat(request.arguments()).contains(NAMES));
    }
}
