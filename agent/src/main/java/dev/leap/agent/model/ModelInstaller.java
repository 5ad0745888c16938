package dev.leap.agent.model;

import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.util.ProgressReporter;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.leap.agent.model.jlama.JlamaChatModel;
import dev.leap.agent.model.jlama.JlamaOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Installs Jlama models: fetches one (or takes a local folder), quantizes it to 4 bits when it is
 * not already, and proves it loads and generates before it is offered for use. Quantizing happens
 * once, here, because Jlama 0.8.4 cannot quantize Llama weights while loading them, and 4-bit
 * weights are what make a CPU fast enough: generation reads every weight once per token.
 */
public final class ModelInstaller {

    /** The suffix of a model this installer quantized, as Jlama's own published models name it. */
    public static final String QUANTIZED_SUFFIX = "-JQ4";

    private final Path cache;
    private final Path workingDirectory;
    private final LocalModels models;

    public ModelInstaller(Path cache, Path workingDirectory) {
        this.cache = cache;
        this.workingDirectory = workingDirectory;
        this.models = new LocalModels(cache);
    }

    /**
     * Makes a model ready: downloads it if needed (reporting progress), quantizes it to Q4 if its
     * weights are wider, and verifies it by generating a token.
     *
     * @param name a Hugging Face name ({@code owner/model}) or the path of a local model folder
     * @throws ModelUnavailableException if it cannot be had or does not work
     */
    public Installed pull(String name, ProgressReporter progress) {
        Path source = models.ensure(name, progress);
        if (weightTypeOf(source) == DType.Q4) {
            verify(source);
            return installed(name, source);
        }
        String quantizedName = quantizedNameOf(name, source);
        Path target = models.directoryOf(quantizedName);
        if (!Files.isRegularFile(target.resolve(LocalModels.FINISHED))) {
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            quantize(source, partial);
            try {
                verify(partial);
            } catch (ModelUnavailableException e) {
                deleteQuietly(partial);
                throw e;
            }
            finish(partial, target);
        }
        return installed(quantizedName, target);
    }

    /** Every complete model in the cache, by name. */
    public List<Installed> list() {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        List<Installed> installed = new ArrayList<>();
        try (Stream<Path> folders = Files.list(cache)) {
            for (Path folder : folders.sorted().toList()) {
                if (Files.isRegularFile(folder.resolve(LocalModels.FINISHED)) && Files.isRegularFile(folder.resolve("config.json"))) {
                    installed.add(installed(nameOf(folder), folder));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the models in " + cache, e);
        }
        installed.sort(Comparator.comparing(Installed::name));
        return installed;
    }

    /** An installed model of this name or folder, if there is one. */
    public Optional<Installed> find(String name) {
        Path given = Path.of(name);
        if (Files.isDirectory(given) && Files.isRegularFile(given.resolve("config.json"))) {
            return Optional.of(installed(name, given));
        }
        return list().stream().filter(model -> model.name().equals(name)).findFirst();
    }

    private void quantize(Path source, Path partial) {
        Path readme = source.resolve("README.md");
        boolean placedReadme = false;
        try {
            // Jlama copies the README along and fails half-way without one; lend it one for the copy.
            if (!Files.exists(readme)) {
                Files.writeString(readme, "# " + source.getFileName() + "\n");
                placedReadme = true;
            }
            deleteRecursively(partial);
            SafeTensorSupport.quantizeModel(source, DType.Q4, new String[] {"norm"}, null, Optional.of(partial));
            for (String optional : List.of("special_tokens_map.json", "generation_config.json")) {
                if (Files.exists(source.resolve(optional))) {
                    Files.copy(source.resolve(optional), partial.resolve(optional));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ModelUnavailableException("could not quantize the model in " + source + " to 4 bits: " + e, e);
        } finally {
            if (placedReadme) {
                try {
                    Files.deleteIfExists(readme);
                } catch (IOException e) {
                    // Only a README we wrote ourselves is left behind.
                }
            }
        }
    }

    /** Marks a verified model complete and puts it where Leap looks for it. */
    private static void finish(Path partial, Path target) {
        try {
            Files.createFile(partial.resolve(LocalModels.FINISHED));
            deleteRecursively(target);
            Files.move(partial, target);
        } catch (IOException e) {
            throw new ModelUnavailableException("could not install the model into " + target + ": " + e, e);
        }
    }

    private static Installed installed(String name, Path directory) {
        return new Installed(name, directory, weightTypeOf(directory), sizeOf(directory));
    }

    private void verify(Path directory) {
        try (JlamaChatModel model = JlamaChatModel.load(directory, workingDirectory,
                JlamaOptions.defaults().withTemperature(0).withMaxNewTokens(1).withCachedPositions(0))) {
            ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("Hello")).build());
            if (response.tokenUsage().outputTokenCount() != 1) {
                throw new ModelUnavailableException("the model in " + directory + " did not generate", null);
            }
        } catch (ModelUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelUnavailableException("the model in " + directory + " does not work: " + e.getMessage(), e);
        }
    }

    private static String quantizedNameOf(String name, Path source) {
        String base = name.contains("/") && !Files.isDirectory(Path.of(name)) ? name : "local/" + source.getFileName();
        return base + QUANTIZED_SUFFIX;
    }

    /** The name a cache folder was installed under: {@code owner_model} is {@code owner/model}. */
    private static String nameOf(Path folder) {
        String directory = folder.getFileName().toString();
        int separator = directory.indexOf('_');
        return separator < 0 ? directory : directory.substring(0, separator) + "/" + directory.substring(separator + 1);
    }

    private static DType weightTypeOf(Path directory) {
        WeightLoader weights = SafeTensorSupport.loadWeights(directory.toFile());
        try {
            return weights.getModelDType();
        } finally {
            try {
                weights.close();
            } catch (Exception e) {
                // Closing only releases memory maps; the type was read.
            }
        }
    }

    private static long sizeOf(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException e) {
            // A half-made model without its .finished marker is never listed or loaded.
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /**
     * A model ready to run.
     *
     * @param name      what to set {@code LEAP_MODEL_NAME} to
     * @param weights   the weights' type: Q4 once installed by Leap
     * @param sizeBytes its size on disk
     */
    public record Installed(String name, Path directory, DType weights, long sizeBytes) {
    }
}
