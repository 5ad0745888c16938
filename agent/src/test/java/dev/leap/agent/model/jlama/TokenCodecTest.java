package dev.leap.agent.model.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import dev.leap.agent.model.jlama.SyntheticModel.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCodecTest {

    @TempDir
    static Path temp;

    private static LlamaTokenizer jlamaTokenizer;
    private static TokenCodec codec;

    @BeforeAll
    static void writeModel() {
        Path model = SyntheticModel.write(temp, Shape.tiny(), 3);
        jlamaTokenizer = new LlamaTokenizer(model);
        codec = new TokenCodec(jlamaTokenizer);
    }

    @Test
    void ascii_text_encodes_exactly_as_jlama_encodes_it() {
        for (String text : List.of(
                "Hello, what is the time?",
                "<|start_header_id|>user<|end_header_id|>\n\nRemind me to call mother tomorrow.<|eot_id|>",
                "{\"name\": \"create_record\", \"parameters\": {\"collection\": \"contacts\"}}",
                "  spaces   and\ttabs\n\nand numbers 12345 and it's done")) {
            int[] jlama = Arrays.stream(jlamaTokenizer.encode(text)).mapToInt(Math::toIntExact).toArray();
            assertThat(codec.encode(text)).as(text).containsExactly(jlama);
        }
    }

    @Test
    void common_english_pieces_become_single_tokens() {
        for (String piece : List.of(" the", " contacts", " Remind", "{\"", "\":", " \"", "\"}}", "\n\n", "assistant")) {
            assertThat(codec.encode(piece)).as("'%s'", piece).hasSize(1);
        }
        assertThat(codec.encode("Please create a record")).hasSize(4);
    }

    @Test
    void text_in_any_script_round_trips_through_the_byte_level_vocabulary() {
        String text = "Grüße an José – 5 € für 東京 😀";

        int[] ids = codec.encode(text);

        assertThat(codec.decode(Arrays.stream(ids).boxed().toList())).isEqualTo(text);
        // Without merges for it, an emoji is its four UTF-8 bytes, one byte token each.
        assertThat(codec.encode("😀")).hasSize("😀".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void special_tokens_in_a_prompt_become_their_ids_and_are_left_out_of_decoded_text() {
        SyntheticTokenizer tokenizer = SyntheticTokenizer.INSTANCE;

        int[] ids = codec.encode("<|python_tag|>{\"name\": \"x\"}<|eot_id|>");

        assertThat(ids[0]).isEqualTo(tokenizer.id("<|python_tag|>"));
        assertThat(ids[ids.length - 1]).isEqualTo(tokenizer.id("<|eot_id|>"));
        assertThat(codec.decode(Arrays.stream(ids).boxed().toList())).isEqualTo("{\"name\": \"x\"}");
    }

    @Test
    void ids_outside_the_vocabulary_decode_to_nothing() {
        int unknown = SyntheticTokenizer.INSTANCE.size() + 5;

        assertThat(codec.decode(List.of(unknown))).isEmpty();
    }
}
