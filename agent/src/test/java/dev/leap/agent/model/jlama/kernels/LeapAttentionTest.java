package dev.leap.agent.model.jlama.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.llama.LlamaConfig;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.tensor.operations.TensorOperations;
import dev.leap.agent.model.jlama.SyntheticModel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leap's attention computes Jlama's numbers: the same model loaded with Jlama's attention and with
 * Leap's gives the same logits, bit for bit, for a long prompt (several batches, several pages of
 * the cache), a continuation that starts in the middle of the cache, and greedy generation.
 */
class LeapAttentionTest {

    /** Prompts are drawn from the tokens the synthetic tokenizer has. */
    private static final int TOKENS = SyntheticModel.Shape.tiny().vocabularySize();

    @TempDir
    Path directory;

    private TensorOperations before;
    private NativeKernels kernels;

    @BeforeEach
    void leapsMatrixKernels() throws ReflectiveOperationException {
        before = JlamaOperationsSlot.current();
        TensorOperations jlama = before instanceof LeapTensorOperations leap ? leap.jlama() : before;
        kernels = NativeKernels.load(directory.resolve("native")).kernels().orElseThrow();
        // Both models multiply with the same operations, so only the attention differs.
        JlamaOperationsSlot.replace(new LeapTensorOperations(jlama, kernels));
    }

    @AfterEach
    void restore() throws ReflectiveOperationException {
        JlamaOperationsSlot.replace(before);
    }

    @Test
    void groupedQueryAttentionOnAQ4ModelIsJlamas() throws IOException {
        // Four query heads of 64 columns on two key-value heads; 512 positions to a cache page.
        SyntheticModel.Shape shape = new SyntheticModel.Shape(256, 512, 2, 4, 2, vocabulary(), 1024, true);
        Path f32 = SyntheticModel.write(directory.resolve("f32"), shape, 21);
        Files.writeString(f32.resolve("README.md"), "Synthetic model\n"); // the quantiser copies it
        Path q4 = directory.resolve("q4");
        SafeTensorSupport.quantizeModel(f32, DType.Q4, null, null, Optional.of(q4));

        Models models = load(q4, DType.I8);
        assertThat(models.leap()).isInstanceOf(LeapLlamaModel.class);
        assertThat(models.jlama()).isNotInstanceOf(LeapLlamaModel.class);
        Run byJlama = run(models.jlama(), 600, 37, 12);
        Run byLeap = run(models.leap(), 600, 37, 12);

        assertSame(byLeap, byJlama);
    }

    @Test
    void groupsOfFourQueryHeadsAsInLlama32AreJlamas() throws IOException {
        // Eight query heads of 64 columns on two key-value heads: Llama 3.2's groups of four, which
        // take the kernels' four-row tiles. Odd lengths leave a position over at the tiles' end.
        assertF32ModelIsJlamas(new SyntheticModel.Shape(512, 512, 2, 8, 2, vocabulary(), 1024, false), 23, 4, 301, 23, 9);
    }

    @Test
    void oneKeyValueHeadPerQueryHeadOnAnF32ModelIsJlamas() throws IOException {
        // Four heads of 32 columns, each with its own keys and values.
        assertF32ModelIsJlamas(new SyntheticModel.Shape(128, 256, 2, 4, 4, vocabulary(), 512, false), 22, 1, 300, 21, 8);
    }

    @Test
    void headsWiderThanTheKernelsPackAreJlamas() throws IOException {
        // Two query heads of 256 columns on one key-value head: wider than the blocks of keys the
        // kernels copy and lay across (128 columns at most), so read where they lie in the cache.
        assertF32ModelIsJlamas(new SyntheticModel.Shape(512, 256, 1, 2, 1, vocabulary(), 512, false), 24, 2, 150, 19, 5);
    }

    /** A generated F32 model of {@code shape} whose query heads share key-value heads in {@code group}s. */
    private void assertF32ModelIsJlamas(SyntheticModel.Shape shape, long seed, int group, int prompt, int continuation,
            int generated) throws IOException {
        Path f32 = SyntheticModel.write(directory.resolve("f32"), shape, seed);

        Models models = load(f32, DType.F32);
        assertThat(models.leap()).isInstanceOf(LeapLlamaModel.class);
        assertThat(models.leap().getConfig().isGQA ? models.leap().getConfig().headGroupSize : 1).isEqualTo(group);
        Run byJlama = run(models.jlama(), prompt, continuation, generated);
        Run byLeap = run(models.leap(), prompt, continuation, generated);

        assertSame(byLeap, byJlama);
    }

    @Test
    void theNativeSoftmaxIsJlamasBitForBit() {
        assertThat(kernels.expUnavailable()).isEmpty();
        SplittableRandom random = new SplittableRandom(9);
        // Short rows, rows not a multiple of the vector width, scores far enough below the largest
        // for exp to underflow to zero, and exact zeros of both signs.
        int[] lengths = {1, 2, 3, 7, 8, 9, 64, 301, 1001};
        int stride = 1024;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment byJava = arena.allocate((long) lengths.length * stride * Float.BYTES, 32);
            for (int row = 0; row < lengths.length; row++) {
                for (int i = 0; i < stride; i++) {
                    double spread = random.nextInt(4) == 0 ? 2000 : 20;
                    float score = i % 97 == 5 ? (i % 2 == 0 ? 0f : -0f) : (float) (random.nextDouble(-spread, 10));
                    byJava.setAtIndex(ValueLayout.JAVA_FLOAT, (long) row * stride + i, score);
                }
            }
            MemorySegment byKernel = arena.allocate(byJava.byteSize(), 32).copyFrom(byJava);
            for (int row = 0; row < lengths.length; row++) {
                LeapAttention.softMax(byJava, (long) row * stride, lengths[row]);
                // One row per call: the kernel's lengths grow by one every `group` rows.
                kernels.softmax(byKernel.asSlice((long) row * stride * Float.BYTES), stride, 1, 1, lengths[row]);
            }
            for (long i = 0; i < byJava.byteSize() / Float.BYTES; i++) {
                assertThat(Float.floatToRawIntBits(byKernel.getAtIndex(ValueLayout.JAVA_FLOAT, i)))
                        .as("score %d: %s, Java %s", i, byKernel.getAtIndex(ValueLayout.JAVA_FLOAT, i),
                                byJava.getAtIndex(ValueLayout.JAVA_FLOAT, i))
                        .isEqualTo(Float.floatToRawIntBits(byJava.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
            }
            long zeros = 0;
            for (long i = 0; i < byJava.byteSize() / Float.BYTES; i++) {
                zeros += byJava.getAtIndex(ValueLayout.JAVA_FLOAT, i) == 0f ? 1 : 0;
            }
            assertThat(zeros).as("some scores underflow").isPositive();
        }
    }

    @Test
    void aGeneratedTokensValuesInPassesOfHeadsAreThoseOfTheBatchKernel() {
        // Five key-value heads of 256 columns, two query heads each, over 100 positions in pages of
        // 16: more heads than one pass of the generated token's kernel copies (four of this width),
        // and a last page part full. Its sums must be those of the batch kernel, head by head.
        int pageRows = 16;
        int heads = 5;
        int headSize = 256;
        int group = 2;
        int positions = 100;
        int pages = (positions + pageRows - 1) / pageRows;
        SplittableRandom random = new SplittableRandom(12);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addresses = arena.allocate(ValueLayout.ADDRESS, pages);
            for (int page = 0; page < pages; page++) {
                MemorySegment values = arena.allocate((long) pageRows * heads * headSize * Float.BYTES, 32);
                for (long i = 0; i < values.byteSize() / Float.BYTES; i++) {
                    values.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextDouble(-1, 1));
                }
                addresses.setAtIndex(ValueLayout.ADDRESS, page, values);
            }
            int rows = heads * group;
            MemorySegment weights = arena.allocate((long) rows * positions * Float.BYTES, 32);
            for (long i = 0; i < (long) rows * positions; i++) {
                weights.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextDouble(0, 0.02));
            }
            MemorySegment byPasses = arena.allocate((long) rows * headSize * Float.BYTES, 32);
            MemorySegment byHead = arena.allocate(byPasses.byteSize(), 32);
            kernels.attentionValuesOne(addresses, pageRows, 0, heads, weights, group, positions, headSize, byPasses);
            for (int head = 0; head < heads; head++) {
                kernels.attentionValues(addresses, pageRows, head,
                        weights.asSlice((long) head * group * positions * Float.BYTES), positions, group, 1,
                        positions - 1, headSize, byHead.asSlice((long) head * group * headSize * Float.BYTES), 0);
            }
            for (long i = 0; i < (long) rows * headSize; i++) {
                assertThat(Float.floatToRawIntBits(byPasses.getAtIndex(ValueLayout.JAVA_FLOAT, i)))
                        .as("column %d of query head %d", i % headSize, i / headSize)
                        .isEqualTo(Float.floatToRawIntBits(byHead.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
            }
        }
    }

    @Test
    void theNativeSoftmaxOfGroupsOfRowsIsJlamas() {
        // As a batch calls it: rows of four query heads a position, each position one score longer,
        // the rows of a position summed side by side; nine rows leave one over.
        int rows = 9;
        int group = 4;
        int first = 300;
        int stride = first + rows / group;
        SplittableRandom random = new SplittableRandom(10);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment byJava = arena.allocate((long) rows * stride * Float.BYTES, 32);
            for (long i = 0; i < (long) rows * stride; i++) {
                byJava.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextDouble(-30, 10));
            }
            MemorySegment byKernel = arena.allocate(byJava.byteSize(), 32).copyFrom(byJava);
            for (int row = 0; row < rows; row++) {
                LeapAttention.softMax(byJava, (long) row * stride, first + row / group);
            }
            kernels.softmax(byKernel, stride, rows, group, first);
            for (long i = 0; i < (long) rows * stride; i++) {
                assertThat(Float.floatToRawIntBits(byKernel.getAtIndex(ValueLayout.JAVA_FLOAT, i)))
                        .as("score %d of row %d", i % stride, i / stride)
                        .isEqualTo(Float.floatToRawIntBits(byJava.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
            }
        }
    }

    private static void assertSame(Run byLeap, Run byJlama) {
        assertThat(byJlama.logits()).hasSize(byLeap.logits().size());
        for (int step = 0; step < byJlama.logits().size(); step++) {
            float[] expected = byJlama.logits().get(step);
            float[] actual = byLeap.logits().get(step);
            int first = Arrays.mismatch(actual, expected);
            assertThat(first).as("first of the logits at step %d that differs (-1: none)%s", step,
                    first < 0 ? "" : ": " + actual[first] + " instead of " + expected[first]).isEqualTo(-1);
        }
        assertThat(byLeap.tokens()).isEqualTo(byJlama.tokens());
        // The comparison means something only if the logits are not all alike.
        float[] first = byJlama.logits().getFirst();
        assertThat(IntStream.range(0, first.length).mapToObj(i -> first[i]).distinct().count())
                .isGreaterThan(first.length / 2);
    }

    private static int vocabulary() {
        return (TOKENS + 127) / 128 * 128;
    }

    private record Models(AbstractModel jlama, AbstractModel leap) {}

    private Models load(Path model, DType workingQuantization) throws IOException {
        WeightLoader weights = SafeTensorSupport.loadWeights(model.toFile());
        Path work = Files.createDirectories(directory.resolve("work"));
        AbstractModel jlama = ModelSupport.loadModel(AbstractModel.InferenceType.FULL_GENERATION, model.toFile(),
                work.toFile(), DType.F32, workingQuantization, Optional.empty(), Optional.empty(), Optional.empty(),
                d -> weights);
        Config config = LeapKernels.readConfig(model.resolve("config.json").toFile(), LlamaConfig.class, 0);
        config.setWorkingDirectory(work.toFile());
        assertThat(LeapAttention.unsupported(config, DType.F32)).isEmpty();
        AbstractModel leap = LeapLlamaModel.create(model, config, weights, DType.F32, workingQuantization, kernels);
        return new Models(jlama, leap);
    }

    /** Logits after the prompt, after the continuation, and after each generated token. */
    private record Run(List<float[]> logits, List<Integer> tokens) {}

    private static Run run(AbstractModel model, int promptTokens, int continuationTokens, int generatedTokens) {
        int vocabulary = model.getConfig().vocabularySize;
        SplittableRandom random = new SplittableRandom(5);
        int[] prompt = random.ints(promptTokens, 0, TOKENS).toArray();
        int[] continuation = random.ints(continuationTokens, 0, TOKENS).toArray();
        List<float[]> logits = new ArrayList<>();
        List<Integer> tokens = new ArrayList<>();
        try (KvBufferCache.KvBuffer kv = new KvBufferCache(model).getEphemeralKvBuffer();
                AbstractTensor scratch = model.makeDenseTensor(1, vocabulary)) {
            try (AbstractTensor output = model.batchForward(prompt, 0, kv)) {
                model.sample(output.slice(output.shape().first() - 1), 0f, 0f, scratch);
                logits.add(copy(scratch, vocabulary));
            }
            int next;
            try (AbstractTensor output = model.batchForward(continuation, promptTokens, kv)) {
                next = model.sample(output.slice(output.shape().first() - 1), 0f, 0f, scratch);
                logits.add(copy(scratch, vocabulary));
            }
            int position = promptTokens + continuationTokens;
            for (int i = 0; i < generatedTokens; i++, position++) {
                tokens.add(next);
                try (AbstractTensor output = model.forward(next, position, kv, Optional.empty())) {
                    next = model.sample(output, 0f, 0f, scratch);
                    logits.add(copy(scratch, vocabulary));
                }
            }
        }
        return new Run(logits, tokens);
    }

    private static float[] copy(AbstractTensor logits, int vocabulary) {
        float[] values = new float[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            values[i] = logits.get(0, i);
        }
        return values;
    }
}
