package dev.leap.agent.model.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.llama.LlamaModel;
import com.github.tjake.jlama.safetensors.DType;
import dev.leap.agent.model.jlama.SyntheticModel.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void a_generated_model_loads_in_jlama_with_its_config_tokenizer_and_weights() throws IOException {
        Shape shape = Shape.tiny();
        Path model = SyntheticModel.write(temp.resolve("model"), shape, 7);
        Path work = Files.createDirectories(temp.resolve("work"));

        AbstractModel loaded = ModelSupport.loadModel(
                model.toFile(), work.toFile(), DType.F32, DType.F32, Optional.empty(), Optional.empty());
        try {
            assertThat(loaded).isInstanceOf(LlamaModel.class);
            assertThat(loaded.getConfig().embeddingLength).isEqualTo(shape.hiddenSize());
            assertThat(loaded.getConfig().hiddenLength).isEqualTo(shape.intermediateSize());
            assertThat(loaded.getConfig().numberOfLayers).isEqualTo(shape.layers());
            assertThat(loaded.getConfig().numberOfHeads).isEqualTo(shape.attentionHeads());
            assertThat(loaded.getConfig().numberOfKeyValueHeads).isEqualTo(shape.keyValueHeads());
            assertThat(loaded.getConfig().vocabularySize).isEqualTo(shape.vocabularySize());
            assertThat(loaded.getConfig().contextLength).isEqualTo(shape.contextLength());
            assertThat(loaded.getConfig().bosToken).isEqualTo(SyntheticTokenizer.INSTANCE.id("<|begin_of_text|>"));
            assertThat(loaded.getConfig().eosTokens).containsExactly(
                    SyntheticTokenizer.INSTANCE.id("<|end_of_text|>"), SyntheticTokenizer.INSTANCE.id("<|eot_id|>"));
            assertThat(loaded.getWeights().getModelDType()).isEqualTo(DType.F32);
            assertThat(loaded.getTokenizer().getModel().hasToolSupport()).isTrue();
            assertThat(loaded.getTokenizer().getModel().isSpecialToken("<|python_tag|>")).isTrue();
            assertThat(loaded.promptSupport()).isPresent();
            assertThat(model.resolve(SyntheticModel.FINISHED_MARKER)).isEmptyFile();
        } finally {
            loaded.close();
        }
    }

    @Test
    void the_safetensors_header_names_every_llama_tensor_with_its_shape_and_byte_range() throws IOException {
        Shape shape = Shape.tiny();
        Path model = SyntheticModel.write(temp, shape, 7);
        Path weights = model.resolve("model.safetensors");

        ByteBuffer prefix = ByteBuffer.wrap(Files.readAllBytes(weights), 0, 8).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = prefix.getLong();
        assertThat(headerLength % 8).as("header padded to 8 bytes").isZero();
        JsonNode header = readHeader(weights, headerLength);

        Map<String, List<Long>> expected = expectedTensors(shape);
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(names::add);
        names.remove("__metadata__");
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected.keySet());

        long offset = 0;
        for (String name : names) {
            JsonNode tensor = header.get(name);
            List<Long> dims = new ArrayList<>();
            tensor.get("shape").forEach(d -> dims.add(d.asLong()));
            assertThat(tensor.get("dtype").asText()).isEqualTo("F32");
            assertThat(dims).as(name).isEqualTo(expected.get(name));
            long bytes = dims.stream().reduce(1L, Math::multiplyExact) * Float.BYTES;
            assertThat(tensor.get("data_offsets").get(0).asLong()).as(name + " starts where the previous ends").isEqualTo(offset);
            assertThat(tensor.get("data_offsets").get(1).asLong()).as(name + " byte size").isEqualTo(offset + bytes);
            offset += bytes;
        }
        assertThat(Files.size(weights)).isEqualTo(8 + headerLength + offset);
    }

    @Test
    void norm_weights_are_one_and_the_other_weights_are_small_and_centred() throws IOException {
        Path model = SyntheticModel.write(temp, Shape.tiny(), 7);

        float[] norm = readTensor(model, "model.layers.1.post_attention_layernorm.weight");
        float[] gate = readTensor(model, "model.layers.0.mlp.gate_proj.weight");

        assertThat(norm).containsOnly(1.0f);
        double mean = 0;
        double squares = 0;
        for (float w : gate) {
            mean += w;
            squares += (double) w * w;
            assertThat(Math.abs(w)).isLessThan(0.08f);
        }
        mean /= gate.length;
        double std = Math.sqrt(squares / gate.length - mean * mean);
        assertThat(mean).isCloseTo(0.0, within(0.002));
        assertThat(std).isCloseTo(0.02, within(0.002));
    }

    @Test
    void the_same_seed_writes_identical_bytes_and_another_seed_other_weights() throws IOException {
        Path first = SyntheticModel.write(temp.resolve("first"), Shape.tiny(), 11);
        Path second = SyntheticModel.write(temp.resolve("second"), Shape.tiny(), 11);
        Path other = SyntheticModel.write(temp.resolve("other"), Shape.tiny(), 12);

        for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "model.safetensors")) {
            assertThat(Files.mismatch(first.resolve(file), second.resolve(file))).as(file).isEqualTo(-1L);
        }
        assertThat(Files.mismatch(first.resolve("model.safetensors"), other.resolve("model.safetensors")))
                .isNotEqualTo(-1L);
        assertThat(readTensor(first, "model.norm.weight")).isEqualTo(readTensor(other, "model.norm.weight"));
    }

    @Test
    void writing_again_into_the_same_directory_replaces_the_model() throws IOException {
        Path directory = SyntheticModel.write(temp, Shape.tiny(), 1);
        byte[] before = Files.readAllBytes(directory.resolve("model.safetensors"));

        SyntheticModel.write(directory, Shape.tiny(), 2);

        assertThat(Files.readAllBytes(directory.resolve("model.safetensors"))).isNotEqualTo(before).hasSameSizeAs(before);
        assertThat(directory.resolve(SyntheticModel.FINISHED_MARKER)).exists();
    }

    @Test
    void the_llama_3_2_1b_shape_has_the_real_models_parameter_count() {
        Shape shape = Shape.llama32_1b();

        assertThat(shape.headSize()).isEqualTo(64);
        assertThat(shape.tiedEmbeddings()).isTrue();
        assertThat(shape.parameterCount()).isEqualTo(1_235_814_400L);
    }

    @Test
    void a_shape_jlama_cannot_run_is_refused_with_the_reason() {
        assertThatThrownBy(() -> new Shape(64, 128, 2, 5, 5, 4096, 2048, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 attention heads");
        assertThatThrownBy(() -> new Shape(64, 128, 2, 4, 3, 4096, 2048, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 key/value heads");
        assertThatThrownBy(() -> new Shape(64, 128, 0, 4, 2, 4096, 2048, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layers");
        assertThatThrownBy(() -> new Shape(64, 100, 2, 4, 2, 4096, 2048, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intermediateSize");
        assertThatThrownBy(() -> new Shape(64, 128, 2, 4, 2, 300, 2048, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenizer");
    }

    /** The tensors of a Hugging Face Llama checkpoint, written out independently of the code under test. */
    private static Map<String, List<Long>> expectedTensors(Shape shape) {
        long hidden = shape.hiddenSize();
        long kv = (long) shape.keyValueHeads() * shape.hiddenSize() / shape.attentionHeads();
        long ffn = shape.intermediateSize();
        Map<String, List<Long>> tensors = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", List.of((long) shape.vocabularySize(), hidden));
        for (int layer = 0; layer < shape.layers(); layer++) {
            String p = "model.layers." + layer + ".";
            tensors.put(p + "self_attn.q_proj.weight", List.of(hidden, hidden));
            tensors.put(p + "self_attn.k_proj.weight", List.of(kv, hidden));
            tensors.put(p + "self_attn.v_proj.weight", List.of(kv, hidden));
            tensors.put(p + "self_attn.o_proj.weight", List.of(hidden, hidden));
            tensors.put(p + "mlp.gate_proj.weight", List.of(ffn, hidden));
            tensors.put(p + "mlp.up_proj.weight", List.of(ffn, hidden));
            tensors.put(p + "mlp.down_proj.weight", List.of(hidden, ffn));
            tensors.put(p + "input_layernorm.weight", List.of(hidden));
            tensors.put(p + "post_attention_layernorm.weight", List.of(hidden));
        }
        tensors.put("model.norm.weight", List.of(hidden));
        if (!shape.tiedEmbeddings()) {
            tensors.put("lm_head.weight", List.of((long) shape.vocabularySize(), hidden));
        }
        return tensors;
    }

    private static JsonNode readHeader(Path weights, long headerLength) throws IOException {
        byte[] all = Files.readAllBytes(weights);
        return JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
    }

    private static float[] readTensor(Path model, String name) throws IOException {
        Path weights = model.resolve("model.safetensors");
        try (FileChannel channel = FileChannel.open(weights)) {
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(prefix, 0);
            long headerLength = prefix.flip().getLong();
            JsonNode offsets = readHeader(weights, headerLength).get(name).get("data_offsets");
            long start = offsets.get(0).asLong();
            int bytes = (int) (offsets.get(1).asLong() - start);
            ByteBuffer data = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(data, 8 + headerLength + start);
            float[] values = new float[bytes / Float.BYTES];
            data.flip().asFloatBuffer().get(values);
            return values;
        }
    }
}
