package dev.leap.agent.model.jlama.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.tensor.operations.TensorOperations;
import dev.leap.agent.model.jlama.SyntheticModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Q4 model generates the same tokens, from the same logits, with Leap's kernels as with Jlama's.
 * The model is small but wide enough for Jlama's Q4 x I8 path (widths that are multiples of 256),
 * with tied embeddings like Llama 3.2 1B, so the logits take the F32 x Q4 product.
 */
class LeapKernelsModelTest {

    /**
     * Ten tokens: a batch whose length is a multiple of Jlama's five-row tiles, because for other
     * lengths Jlama leaves some outputs of the batch unwritten and the two paths would differ there.
     */
    private static final int PROMPT_TOKENS = 10;
    private static final int GENERATED_TOKENS = 24;

    @Test
    void generatesJlamasTokensFromJlamasLogits(@TempDir Path directory) throws IOException {
        Path model = q4Model(directory);
        WeightLoader weights = SafeTensorSupport.loadWeights(model.toFile());
        assertThat(weights.getModelDType()).isEqualTo(DType.Q4);
        Path work = Files.createDirectories(directory.resolve("work"));
        AbstractModel jlamaModel = ModelSupport.loadModel(AbstractModel.InferenceType.FULL_GENERATION,
                model.toFile(), work.toFile(), DType.F32, DType.I8,
                Optional.empty(), Optional.empty(), Optional.empty(), d -> weights);
        int[] prompt = new SplittableRandom(7).ints(PROMPT_TOKENS, 0, jlamaModel.getConfig().vocabularySize).toArray();

        TensorOperations before = JlamaOperationsSlot.current();
        TensorOperations jlama = before instanceof LeapTensorOperations leap ? leap.jlama() : before;
        NativeKernels kernels = NativeKernels.load(directory.resolve("native")).kernels().orElseThrow();
        Generation byJlama;
        Generation byLeap;
        try {
            JlamaOperationsSlot.replace(jlama);
            byJlama = generate(jlamaModel, prompt);
            JlamaOperationsSlot.replace(new LeapTensorOperations(jlama, kernels));
            byLeap = generate(jlamaModel, prompt);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        } finally {
            restore(before);
        }

        assertThat(byLeap.tokens()).isEqualTo(byJlama.tokens());
        assertThat(byLeap.firstLogits()).isEqualTo(byJlama.firstLogits());
        Set<Float> distinctLogits = new HashSet<>();
        for (float logit : byJlama.firstLogits()) {
            distinctLogits.add(logit);
        }
        assertThat(distinctLogits).as("logits computed for the whole vocabulary")
                .hasSizeGreaterThan(byJlama.firstLogits().length * 9 / 10);
    }

    private static void restore(TensorOperations operations) {
        try {
            JlamaOperationsSlot.replace(operations);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private record Generation(List<Integer> tokens, float[] firstLogits) {}

    /** The prompt as one batch, then greedy decoding one token at a time. */
    private static Generation generate(AbstractModel model, int[] prompt) {
        int vocabulary = model.getConfig().vocabularySize;
        List<Integer> tokens = new ArrayList<>();
        float[] firstLogits = new float[vocabulary];
        try (KvBufferCache.KvBuffer kv = new KvBufferCache(model).getEphemeralKvBuffer();
                AbstractTensor logits = model.makeDenseTensor(1, vocabulary)) {
            int next;
            try (AbstractTensor output = model.batchForward(prompt, 0, kv)) {
                next = model.sample(output.slice(output.shape().first() - 1), 0f, 0f, logits);
            }
            for (int i = 0; i < vocabulary; i++) {
                firstLogits[i] = logits.get(0, i);
            }
            for (int position = prompt.length; tokens.size() < GENERATED_TOKENS; position++) {
                tokens.add(next);
                try (AbstractTensor output = model.forward(next, position, kv, Optional.empty())) {
                    next = model.sample(output, 0f, 0f, logits);
                }
            }
        }
        return new Generation(tokens, firstLogits);
    }

    /**
     * A small Llama written in F32 and converted offline to Q4 with Jlama's own quantiser. Every
     * width is a multiple of 128 because Jlama splits each product into 128 row chunks and, when
     * the rows do not divide evenly, can leave the last rows out (its remainder is taken modulo the
     * chunk size); Leap splits into fewer chunks, so the two would differ there.
     */
    private static Path q4Model(Path directory) throws IOException {
        int vocabulary = (SyntheticModel.Shape.tiny().vocabularySize() + 127) / 128 * 128;
        SyntheticModel.Shape shape = new SyntheticModel.Shape(256, 512, 2, 4, 2, vocabulary, 512, true);
        Path f32 = SyntheticModel.write(directory.resolve("f32"), shape, 11);
        Files.writeString(f32.resolve("README.md"), "Synthetic model\n"); // the quantiser copies it
        Path q4 = directory.resolve("q4");
        SafeTensorSupport.quantizeModel(f32, DType.Q4, null, null, Optional.of(q4));
        return q4;
    }
}
