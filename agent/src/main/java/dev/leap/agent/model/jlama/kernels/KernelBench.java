package dev.leap.agent.model.jlama.kernels;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import dev.leap.agent.model.jlama.SyntheticModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Prompt and generation speed of the Llama 3.2 1B shape in Q4 with Jlama's tensor operations and
 * with Leap's kernels, in one process, on one loaded model, in alternating rounds.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp CLASSPATH \
 *     dev.leap.agent.model.jlama.kernels.KernelBench [WORK_DIRECTORY [PROMPT_TOKENS [GENERATED_TOKENS [ROUNDS]]]]
 * </pre>
 *
 * The first run writes the synthetic model (random weights, about 5 GB in F32) into the work
 * directory, converts it to Q4 with Jlama's quantiser (about 1 GB) and deletes the F32 copy. The
 * default prompt has 125 tokens, a multiple of Jlama's five-row tiles, so that both paths compute
 * every output and must generate the same tokens; the bench says whether they did.
 */
public final class KernelBench {

    private static final long SEED = 42;

    private KernelBench() {}

    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        Path work = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir") + "/leap-kernel-bench");
        int promptTokens = args.length > 1 ? Integer.parseInt(args[1]) : 125;
        int generatedTokens = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;

        Path modelDirectory = q4Model(work);
        WeightLoader weights = SafeTensorSupport.loadWeights(modelDirectory.toFile());
        AbstractModel model = ModelSupport.loadModel(AbstractModel.InferenceType.FULL_GENERATION,
                modelDirectory.toFile(), Files.createDirectories(work.resolve("jlama")).toFile(), DType.F32, DType.I8,
                Optional.empty(), Optional.empty(), Optional.empty(), d -> weights);
        int[] prompt = new SplittableRandom(SEED).ints(promptTokens, 0, model.getConfig().vocabularySize).toArray();
        double gigabytesPerToken = q4WeightBytesPerToken(model) / 1e9;
        System.out.printf("Llama 3.2 1B shape, Q4 weights, I8 activations: %d prompt tokens, %d generated, "
                + "best of %d rounds each after a warm-up; %.2f GB of weights read per generated token%n",
                promptTokens, generatedTokens, rounds, gigabytesPerToken);

        LeapKernels.Installation installation = LeapKernels.install(work);
        System.out.println("Installed: " + installation);
        if (!(TensorOperationsProvider.get() instanceof LeapTensorOperations leap)) {
            System.out.println("Leap's kernels are not in use here; nothing to compare.");
            return;
        }
        // Rounds alternate between the two operations so that both see the same machine: on a
        // shared one, load that comes and goes would otherwise favour whichever ran first.
        Speed byJlama = new Speed(leap.jlama().name());
        Speed byLeap = new Speed(leap.name());
        for (int round = 0; round <= rounds; round++) {
            JlamaOperationsSlot.replace(leap.jlama());
            byJlama.run(model, prompt, generatedTokens, round > 0);
            JlamaOperationsSlot.replace(leap);
            byLeap.run(model, prompt, generatedTokens, round > 0);
        }

        System.out.printf("%-50s %12s %16s %18s%n", "tensor operations (best round)", "prompt tok/s",
                "generation tok/s", "weights read GB/s");
        for (Speed speed : List.of(byJlama, byLeap)) {
            System.out.printf("%-50s %12.1f %16.2f %18.1f%n", speed.operations, speed.bestPrompt,
                    speed.bestGeneration, speed.bestGeneration * gigabytesPerToken);
        }
        System.out.printf("%-50s %11.2fx %15.2fx%n", "Leap / Jlama", byLeap.bestPrompt / byJlama.bestPrompt,
                byLeap.bestGeneration / byJlama.bestGeneration);
        System.out.println(byLeap.tokens.equals(byJlama.tokens)
                ? "Both generated the same tokens."
                : "The generated tokens differ: Jlama " + byJlama.tokens + ", Leap " + byLeap.tokens);
    }

    /** The best rates one set of operations reached, and the tokens it generated. */
    private static final class Speed {
        final String operations;
        double bestPrompt;
        double bestGeneration;
        List<Integer> tokens = List.of();

        Speed(String operations) {
            this.operations = operations;
        }

        /** One round: the prompt as a batch, then greedy generation; a warm-up round only prints. */
        void run(AbstractModel model, int[] prompt, int generatedTokens, boolean counts) {
            List<Integer> sampled = new ArrayList<>();
            long start = System.nanoTime();
            long promptDone;
            try (KvBufferCache.KvBuffer kv = new KvBufferCache(model).getEphemeralKvBuffer();
                    AbstractTensor logits = model.makeDenseTensor(1, model.getConfig().vocabularySize)) {
                int next;
                try (AbstractTensor output = model.batchForward(prompt, 0, kv)) {
                    next = model.sample(output.slice(output.shape().first() - 1), 0f, 0f, logits);
                }
                promptDone = System.nanoTime();
                for (int position = prompt.length; sampled.size() < generatedTokens; position++) {
                    sampled.add(next);
                    try (AbstractTensor output = model.forward(next, position, kv, Optional.empty())) {
                        next = model.sample(output, 0f, 0f, logits);
                    }
                }
            }
            long end = System.nanoTime();
            double promptRate = prompt.length / ((promptDone - start) / 1e9);
            double generationRate = generatedTokens / ((end - promptDone) / 1e9);
            System.out.printf("  %-50s %s prompt %.1f tok/s, generation %.2f tok/s%n",
                    operations, counts ? "       " : "warm-up", promptRate, generationRate);
            if (counts) {
                bestPrompt = Math.max(bestPrompt, promptRate);
                bestGeneration = Math.max(bestGeneration, generationRate);
            }
            tokens = sampled;
        }
    }

    /** Bytes of Q4 weights (half a byte per weight and a four-byte scale per 32) one token reads. */
    private static double q4WeightBytesPerToken(AbstractModel model) {
        var c = model.getConfig();
        long kv = (long) c.numberOfKeyValueHeads * c.headSize;
        long perLayer = 2L * c.embeddingLength * c.embeddingLength + 2L * c.embeddingLength * kv
                + 3L * c.embeddingLength * c.hiddenLength;
        long weights = c.numberOfLayers * perLayer + (long) c.vocabularySize * c.embeddingLength;
        return weights * (0.5 + 4.0 / 32);
    }

    /** The Q4 model in {@code work}, written and converted first if it is not there yet. */
    private static Path q4Model(Path work) throws IOException {
        Path q4 = work.resolve("llama32-1b-q4");
        Path converted = q4.resolve(SyntheticModel.FINISHED_MARKER);
        if (Files.isRegularFile(converted)) {
            return q4;
        }
        Path f32 = work.resolve("llama32-1b-f32");
        System.out.println("Writing the F32 model into " + f32 + " and converting it to Q4 in " + q4);
        SyntheticModel.write(f32, SyntheticModel.Shape.llama32_1b(), SEED);
        Files.writeString(f32.resolve("README.md"), "Synthetic Llama 3.2 1B shape\n"); // the quantiser copies it
        deleteRecursively(q4);
        SafeTensorSupport.quantizeModel(f32, DType.Q4, null, null, Optional.of(q4));
        deleteRecursively(f32);
        Files.createFile(converted);
        return q4;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
