package dev.leap.agent.model.jlama;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a complete Llama model directory, in the format Hugging Face publishes, with deterministic
 * random weights: what Leap needs to test and benchmark its Jlama chat model without downloading one.
 *
 * <p>The directory holds {@code config.json}, {@code tokenizer.json} (a Llama 3 style byte-level
 * BPE, see {@link SyntheticTokenizer}), {@code tokenizer_config.json} with a Llama 3.1 style chat
 * template, {@code special_tokens_map.json}, {@code model.safetensors} with F32 weights named as in
 * Hugging Face Llama checkpoints, and finally an empty {@code .finished} marker, so a directory
 * whose writing was interrupted is recognisably incomplete.
 *
 * <p>The weights produce gibberish, but the arithmetic is that of a real model of the same shape:
 * norm weights are 1 and the other weights are roughly normal with standard deviation 0.02 (a
 * Llama's initialisation), so activations stay finite through every layer.
 */
public final class SyntheticModel {

    /** Marker written last; its presence means the directory is complete. */
    public static final String FINISHED_MARKER = ".finished";

    static final String WEIGHTS_FILE = "model.safetensors";
    static final float WEIGHT_STD = 0.02f;
    static final float RMS_NORM_EPS = 1e-5f;
    static final double ROPE_THETA = 500_000.0;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SyntheticModel() {}

    /**
     * The dimensions of a Llama model.
     *
     * @param hiddenSize width of the residual stream (hidden_size)
     * @param intermediateSize width of the feed-forward layer (intermediate_size)
     * @param layers number of transformer blocks (num_hidden_layers)
     * @param attentionHeads query heads (num_attention_heads)
     * @param keyValueHeads key/value heads, fewer than query heads for grouped-query attention
     * @param vocabularySize rows of the embedding (vocab_size); at least the tokenizer's size
     * @param contextLength longest sequence, prompt plus reply (max_position_embeddings)
     * @param tiedEmbeddings whether the output layer reuses the embedding instead of an lm_head
     */
    public record Shape(
            int hiddenSize,
            int intermediateSize,
            int layers,
            int attentionHeads,
            int keyValueHeads,
            int vocabularySize,
            int contextLength,
            boolean tiedEmbeddings) {

        public Shape {
            requirePositive("hiddenSize", hiddenSize);
            requirePositive("intermediateSize", intermediateSize);
            requirePositive("layers", layers);
            requirePositive("attentionHeads", attentionHeads);
            requirePositive("keyValueHeads", keyValueHeads);
            requirePositive("vocabularySize", vocabularySize);
            requirePositive("contextLength", contextLength);
            if (hiddenSize % attentionHeads != 0) {
                throw new IllegalArgumentException(
                        "hiddenSize " + hiddenSize + " must split evenly into " + attentionHeads + " attention heads");
            }
            if ((hiddenSize / attentionHeads) % 2 != 0) {
                throw new IllegalArgumentException(
                        "head size " + hiddenSize / attentionHeads + " must be even: rotary embeddings turn pairs of values");
            }
            if (attentionHeads % keyValueHeads != 0) {
                throw new IllegalArgumentException(
                        attentionHeads + " attention heads must share " + keyValueHeads + " key/value heads evenly");
            }
            // Jlama's F32 kernels need widths divisible by 8 (an intermediate size of 68 fails in
            // maccumulate) and its quantised kernels, for a model converted to Q4 later, blocks of 32.
            requireMultipleOf32("hiddenSize", hiddenSize);
            requireMultipleOf32("intermediateSize", intermediateSize);
            int tokenizerSize = SyntheticTokenizer.INSTANCE.size();
            if (vocabularySize < tokenizerSize) {
                throw new IllegalArgumentException(
                        "vocabularySize " + vocabularySize + " is smaller than the tokenizer's " + tokenizerSize + " tokens");
            }
        }

        /**
         * A model of a few megabytes that loads and generates in well under a second: two layers,
         * grouped-query attention, and exactly the tokenizer's vocabulary, so every sampled token
         * decodes to text.
         */
        public static Shape tiny() {
            return new Shape(64, 128, 2, 4, 2, SyntheticTokenizer.INSTANCE.size(), 2048, false);
        }

        /**
         * The shape of Llama 3.2 1B (1.24 billion parameters, about 4.9 GB in F32), including its
         * 128,256-entry vocabulary and tied embeddings.
         *
         * <p>The context stays at the real 131,072 positions. Jlama allocates the KV cache lazily,
         * in pages of at most 1 MB (ephemeral) or 8 MB (per session) that cover only the positions
         * in use; the page table and the precomputed rotary table are what grow with the context,
         * and the latter (131,072 × 32 pairs, about 130 MB of heap) is the one real cost. Keeping
         * the real value means a benchmark pays what the real model costs.
         */
        public static Shape llama32_1b() {
            return new Shape(2048, 8192, 16, 32, 8, 128_256, 131_072, true);
        }

        /** The same shape with room for a longer sequence. */
        public Shape withContextLength(int positions) {
            return new Shape(hiddenSize, intermediateSize, layers, attentionHeads, keyValueHeads, vocabularySize, positions,
                    tiedEmbeddings);
        }

        public int headSize() {
            return hiddenSize / attentionHeads;
        }

        /** Number of weights, the embedding counted once when tied. */
        public long parameterCount() {
            return tensors(this, 0).stream().mapToLong(SafeTensorsWriter.Tensor::elements).sum();
        }

        private static void requirePositive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }

        private static void requireMultipleOf32(String name, int value) {
            if (value % 32 != 0) {
                throw new IllegalArgumentException(name + " must be a multiple of 32, was " + value);
            }
        }
    }

    /**
     * Writes a model of the given shape into {@code directory} (created if missing; files of the
     * same names are replaced, and {@code .finished} is removed first and written last, as Jlama's
     * downloader does). The same shape and seed always give the same bytes.
     *
     * @return {@code directory}
     */
    public static Path write(Path directory, Shape shape, long seed) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(shape, "shape");
        try {
            Files.createDirectories(directory);
            Path finished = directory.resolve(FINISHED_MARKER);
            Files.deleteIfExists(finished);
            SyntheticTokenizer tokenizer = SyntheticTokenizer.INSTANCE;
            JSON.writeValue(directory.resolve("config.json").toFile(), config(shape, tokenizer));
            JSON.writeValue(directory.resolve("tokenizer.json").toFile(), tokenizerJson(tokenizer));
            JSON.writeValue(directory.resolve("tokenizer_config.json").toFile(), tokenizerConfig(shape, tokenizer));
            JSON.writeValue(directory.resolve("special_tokens_map.json").toFile(), specialTokensMap());
            SafeTensorsWriter.write(directory.resolve(WEIGHTS_FILE), tensors(shape, seed));
            Files.createFile(finished);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write a synthetic model to " + directory, e);
        }
    }

    /** The tensors of a Hugging Face Llama checkpoint of this shape, in the order they are written. */
    static List<SafeTensorsWriter.Tensor> tensors(Shape shape, long seed) {
        long hidden = shape.hiddenSize();
        long queries = (long) shape.attentionHeads() * shape.headSize();
        long keysAndValues = (long) shape.keyValueHeads() * shape.headSize();
        long intermediate = shape.intermediateSize();
        long vocabulary = shape.vocabularySize();

        List<SafeTensorsWriter.Tensor> tensors = new ArrayList<>();
        RandomWeights random = new RandomWeights(seed);
        tensors.add(random.matrix("model.embed_tokens.weight", vocabulary, hidden));
        for (int layer = 0; layer < shape.layers(); layer++) {
            String prefix = "model.layers." + layer + ".";
            tensors.add(norm(prefix + "input_layernorm.weight", hidden));
            tensors.add(random.matrix(prefix + "self_attn.q_proj.weight", queries, hidden));
            tensors.add(random.matrix(prefix + "self_attn.k_proj.weight", keysAndValues, hidden));
            tensors.add(random.matrix(prefix + "self_attn.v_proj.weight", keysAndValues, hidden));
            tensors.add(random.matrix(prefix + "self_attn.o_proj.weight", hidden, queries));
            tensors.add(norm(prefix + "post_attention_layernorm.weight", hidden));
            tensors.add(random.matrix(prefix + "mlp.gate_proj.weight", intermediate, hidden));
            tensors.add(random.matrix(prefix + "mlp.up_proj.weight", intermediate, hidden));
            tensors.add(random.matrix(prefix + "mlp.down_proj.weight", hidden, intermediate));
        }
        tensors.add(norm("model.norm.weight", hidden));
        if (!shape.tiedEmbeddings()) {
            tensors.add(random.matrix("lm_head.weight", vocabulary, hidden));
        }
        return tensors;
    }

    private static SafeTensorsWriter.Tensor norm(String name, long size) {
        return new SafeTensorsWriter.Tensor(name, List.of(size), index -> 1.0f);
    }

    /**
     * Weights from a counter-based generator: element i of tensor t is a pure function of (seed, t,
     * i), so chunks can be filled in any order and on any number of threads with the same result,
     * and the result does not depend on the JDK's random number algorithms.
     */
    private static final class RandomWeights {
        private final long seed;
        private int tensorsMade;

        RandomWeights(long seed) {
            this.seed = seed;
        }

        SafeTensorsWriter.Tensor matrix(String name, long rows, long columns) {
            long stream = mix(seed + 0x9E3779B97F4A7C15L * ++tensorsMade);
            return new SafeTensorsWriter.Tensor(name, List.of(rows, columns), index -> approximatelyNormal(mix(stream ^ mix(index))));
        }

        /**
         * The sum of four 16-bit uniforms (Irwin–Hall) is close to normal and bounded at about 3.5
         * standard deviations, scaled here to {@link #WEIGHT_STD}.
         */
        private static float approximatelyNormal(long bits) {
            long sum = (bits & 0xFFFF) + ((bits >>> 16) & 0xFFFF) + ((bits >>> 32) & 0xFFFF) + (bits >>> 48);
            double uniformSum = sum / 65536.0;                  // mean 2, variance 4/12
            return (float) ((uniformSum - 2.0) / Math.sqrt(4.0 / 12.0) * WEIGHT_STD);
        }

        /** SplitMix64's finaliser: a bijection that scatters nearby inputs across all 64 bits. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    private static Map<String, Object> config(Shape shape, SyntheticTokenizer tokenizer) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architectures", List.of("LlamaForCausalLM"));
        config.put("attention_bias", false);
        config.put("attention_dropout", 0.0);
        config.put("bos_token_id", tokenizer.id(SyntheticTokenizer.BEGIN_OF_TEXT));
        config.put("eos_token_id", List.of(
                tokenizer.id(SyntheticTokenizer.END_OF_TEXT), tokenizer.id(SyntheticTokenizer.END_OF_TURN)));
        config.put("head_dim", shape.headSize());
        config.put("hidden_act", "silu");
        config.put("hidden_size", shape.hiddenSize());
        config.put("initializer_range", WEIGHT_STD);
        config.put("intermediate_size", shape.intermediateSize());
        config.put("max_position_embeddings", shape.contextLength());
        config.put("mlp_bias", false);
        config.put("model_type", "llama");
        config.put("num_attention_heads", shape.attentionHeads());
        config.put("num_hidden_layers", shape.layers());
        config.put("num_key_value_heads", shape.keyValueHeads());
        config.put("pretraining_tp", 1);
        config.put("rms_norm_eps", RMS_NORM_EPS);
        config.put("rope_scaling", null);
        config.put("rope_theta", ROPE_THETA);
        config.put("tie_word_embeddings", shape.tiedEmbeddings());
        config.put("torch_dtype", "float32");
        config.put("use_cache", true);
        config.put("vocab_size", shape.vocabularySize());
        return config;
    }

    private static Map<String, Object> tokenizerJson(SyntheticTokenizer tokenizer) {
        List<Map<String, Object>> addedTokens = new ArrayList<>();
        tokenizer.specialTokens().forEach((content, id) -> {
            Map<String, Object> token = new LinkedHashMap<>();
            token.put("id", id);
            token.put("content", content);
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("normalized", false);
            token.put("special", true);
            addedTokens.add(token);
        });

        Map<String, Object> split = new LinkedHashMap<>();
        split.put("type", "Split");
        split.put("pattern", Map.of("Regex", SyntheticTokenizer.PRE_TOKENIZER_REGEX));
        split.put("behavior", "Isolated");
        split.put("invert", false);
        Map<String, Object> byteLevel = new LinkedHashMap<>();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", false);
        Map<String, Object> preTokenizer = new LinkedHashMap<>();
        preTokenizer.put("type", "Sequence");
        preTokenizer.put("pretokenizers", List.of(split, byteLevel));

        Map<String, Object> decoder = new LinkedHashMap<>();
        decoder.put("type", "ByteLevel");
        decoder.put("add_prefix_space", true);
        decoder.put("trim_offsets", true);
        decoder.put("use_regex", true);

        Map<String, Object> vocabulary = new LinkedHashMap<>();
        List<String> entries = tokenizer.vocabulary();
        for (int id = 0; id < entries.size(); id++) {
            vocabulary.put(entries.get(id), id);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", true);
        model.put("vocab", vocabulary);
        model.put("merges", tokenizer.merges());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "1.0");
        json.put("truncation", null);
        json.put("padding", null);
        json.put("added_tokens", addedTokens);
        json.put("normalizer", null);
        json.put("pre_tokenizer", preTokenizer);
        json.put("post_processor", null);
        json.put("decoder", decoder);
        json.put("model", model);
        return json;
    }

    private static Map<String, Object> specialTokensMap() {
        // Ordered maps throughout: Map.of iterates in an order that changes between JVM runs,
        // and the same seed must give the same bytes.
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("bos_token", SyntheticTokenizer.BEGIN_OF_TEXT);
        map.put("eos_token", SyntheticTokenizer.END_OF_TURN);
        return map;
    }

    private static Map<String, Object> tokenizerConfig(Shape shape, SyntheticTokenizer tokenizer) {
        Map<String, Object> decoder = new LinkedHashMap<>();
        tokenizer.specialTokens().forEach((content, id) -> {
            Map<String, Object> token = new LinkedHashMap<>();
            token.put("content", content);
            token.put("lstrip", false);
            token.put("normalized", false);
            token.put("rstrip", false);
            token.put("single_word", false);
            token.put("special", true);
            decoder.put(String.valueOf(id), token);
        });
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("added_tokens_decoder", decoder);
        config.put("bos_token", SyntheticTokenizer.BEGIN_OF_TEXT);
        config.put("chat_template", Llama3ChatTemplate.TEMPLATE);
        config.put("clean_up_tokenization_spaces", true);
        config.put("eos_token", SyntheticTokenizer.END_OF_TURN);
        config.put("model_input_names", List.of("input_ids", "attention_mask"));
        config.put("model_max_length", shape.contextLength());
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        return config;
    }
}
