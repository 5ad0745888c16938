package dev.leap.agent.model.jlama.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import com.github.tjake.jlama.tensor.operations.TensorOperations;
import com.github.tjake.jlama.util.JsonSupport;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs Leap's matrix kernels into Jlama: call {@link #install(Path)} once before the first model
 * is loaded. The kernels replace Jlama's products of Q4 weights (see {@link LeapTensorOperations})
 * and give the same results; when they cannot run here (no library in the build, a CPU without
 * AVX2, a Jlama whose internals changed) Jlama keeps its own operations. Either way one log line
 * says which path is in use.
 */
public final class LeapKernels {

    private static final Logger log = LoggerFactory.getLogger(LeapKernels.class);

    /** The configuration's number of positions the model was trained for. */
    private static final String POSITIONS = "max_position_embeddings";

    private LeapKernels() {}

    /**
     * What Jlama computes with after {@link #install(Path)}.
     *
     * @param leapKernels whether Leap's kernels are in use
     * @param operations the name of the tensor operations Jlama now uses
     * @param detail the library file that was loaded, or why Jlama's operations were kept
     */
    public record Installation(boolean leapKernels, String operations, String detail) {}

    /**
     * Installs the kernels unless they are installed already; either way says what Jlama now
     * computes with.
     *
     * @param workDirectory where the native library is extracted (into a {@code native}
     *     subdirectory); {@code null} for a directory under {@code java.io.tmpdir}
     */
    public static synchronized Installation install(Path workDirectory) {
        if (JlamaOperationsSlot.current() instanceof LeapTensorOperations leap) {
            return new Installation(true, leap.name(), leap.kernels().library().toString());
        }
        Path directory = workDirectory != null
                ? workDirectory.resolve("native")
                : Path.of(System.getProperty("java.io.tmpdir"), "leap-kernels");
        Installation installation = installInto(directory);
        if (installation.leapKernels()) {
            log.info("Jlama tensor operations: {} ({})", installation.operations(), installation.detail());
        } else {
            log.warn("Jlama tensor operations: {}; Leap's kernels are not used: {}",
                    installation.operations(), installation.detail());
        }
        return installation;
    }

    /**
     * Loads the model in {@code directory} for generation, with {@code weights} already opened on it.
     * A Llama gets Leap's attention ({@link LeapAttention}) when Leap's kernels are installed and it
     * computes the model as Jlama would; any other model, or any other machine, gets Jlama's model
     * classes and attention. One log line says which, and why.
     *
     * @param contextLength most positions the model is loaded for, or 0 for all it was trained for
     *     (its {@code max_position_embeddings}). Jlama sizes its table of rotary angles by it.
     */
    public static AbstractModel loadModel(Path directory, Path workingDirectory, DType workingType,
            DType workingQuantization, WeightLoader weights, int contextLength) {
        File configFile = directory.resolve("config.json").toFile();
        ModelSupport.ModelType type;
        Config config;
        try {
            type = SafeTensorSupport.detectModel(configFile);
            config = readConfig(configFile, type.configClass, contextLength);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + configFile, e);
        }
        config.setWorkingDirectory(workingDirectory.toFile());
        String whyNot;
        if (!(JlamaOperationsSlot.current() instanceof LeapTensorOperations leap)) {
            whyNot = "Leap's kernels are not installed";
        } else if (type != ModelSupport.ModelType.LLAMA) {
            whyNot = "not a Llama model";
        } else {
            Optional<String> unsupported = LeapAttention.unsupported(config, workingType);
            if (unsupported.isEmpty()) {
                log.info("Attention: Leap's kernels{}", leap.kernels().expUnavailable()
                        .map(why -> ", with Jlama's softmax in Java (" + why + ")").orElse(""));
                return LeapLlamaModel.create(directory, config, weights, workingType, workingQuantization,
                        leap.kernels());
            }
            whyNot = unsupported.get();
        }
        log.info("Attention: Jlama's ({})", whyNot);
        // What Jlama's ModelSupport.loadModel does once it has read the configuration.
        try {
            Tokenizer tokenizer = type.tokenizerClass.getConstructor(Path.class).newInstance(directory);
            return type.modelClass.getConstructor(AbstractModel.InferenceType.class, Config.class, WeightLoader.class,
                    Tokenizer.class, DType.class, DType.class, Optional.class).newInstance(
                    AbstractModel.InferenceType.FULL_GENERATION, config, weights, tokenizer, workingType,
                    workingQuantization, Optional.empty());
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Jlama's " + type + " model classes changed: " + e, e);
        }
    }

    /**
     * The model's configuration, with its positions cut to {@code contextLength} when that is
     * smaller. The rotary angle of a position does not depend on how many positions there are, so
     * the positions kept compute exactly as they would in the full context.
     */
    static Config readConfig(File configFile, Class<? extends Config> configClass, int contextLength) throws IOException {
        ObjectNode json = (ObjectNode) JsonSupport.om.readTree(configFile);
        JsonNode trained = json.get(POSITIONS);
        if (contextLength > 0 && trained != null && trained.canConvertToInt() && trained.asInt() > contextLength) {
            json.put(POSITIONS, contextLength);
        }
        return JsonSupport.om.treeToValue(json, configClass);
    }

    private static Installation installInto(Path directory) {
        TensorOperations jlama = JlamaOperationsSlot.current();
        NativeKernels.Loaded loaded;
        try {
            loaded = NativeKernels.load(directory);
        } catch (RuntimeException | LinkageError e) {
            return new Installation(false, jlama.name(), "the library did not load: " + e);
        }
        if (loaded.kernels().isEmpty()) {
            return new Installation(false, jlama.name(), loaded.where());
        }
        LeapTensorOperations leap = new LeapTensorOperations(jlama, Objects.requireNonNull(loaded.kernels().get()));
        try {
            JlamaOperationsSlot.replace(leap);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Installation(false, JlamaOperationsSlot.current().name(),
                    "Jlama's TensorOperationsProvider could not be given other operations: " + e);
        }
        return new Installation(true, leap.name(), loaded.where());
    }
}
