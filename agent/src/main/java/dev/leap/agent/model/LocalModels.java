package dev.leap.agent.model;

import com.github.tjake.jlama.util.Downloader;
import com.github.tjake.jlama.util.ProgressReporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a Jlama model on disk, downloading it from Hugging Face the first time. A model lives in
 * {@code <cache>/<owner>_<name>/}; the empty file {@code .finished} marks a complete download, so a
 * folder copied there by hand (with that file) is used without any network.
 */
public final class LocalModels {

    public static final String FINISHED = ".finished";

    private final Path cache;

    public LocalModels(Path cache) {
        this.cache = cache;
    }

    /** Where a model of this name lives, downloaded or not. */
    public Path directoryOf(String name) {
        String[] parts = name.split("/");
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("a model is named owner/name, e.g. " + ModelSettings.DEFAULT_JLAMA_MODEL
                    + ", or given as the path of a model directory; '" + name + "' is neither");
        }
        return cache.resolve(parts[0] + "_" + parts[1]);
    }

    /**
     * The directory of a ready model: {@code name} itself if it is a model directory, else the
     * cached copy, downloading it first (reporting progress) if it is not complete.
     *
     * @throws ModelUnavailableException if the model is not here and cannot be downloaded
     */
    public Path ensure(String name, ProgressReporter progress) {
        Path given = Path.of(name);
        if (Files.isDirectory(given) && Files.isRegularFile(given.resolve("config.json"))) {
            return given;
        }
        Path directory = directoryOf(name);
        if (Files.isRegularFile(directory.resolve(FINISHED))) {
            return directory;
        }
        try {
            Files.createDirectories(cache);
            new Downloader(cache.toString(), name).withProgressReporter(progress).huggingFaceModel();
        } catch (IOException | RuntimeException e) {
            throw new ModelUnavailableException(cannotDownload(name, directory, e), e);
        }
        if (!Files.isRegularFile(directory.resolve(FINISHED))) {
            throw new ModelUnavailableException(cannotDownload(name, directory, null), null);
        }
        return directory;
    }

    private static String cannotDownload(String name, Path directory, Exception cause) {
        String reason = cause == null ? "the download did not complete"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return """
                Leap could not download the model %s from huggingface.co (%s).
                To run without internet access, give Leap the model as files:
                  1. On a machine with internet access, download the model's folder from https://huggingface.co/%s
                     (config.json, tokenizer.json, tokenizer_config.json and the .safetensors files).
                  2. Copy the folder to %s
                  3. Create an empty file named %s in it.
                Or set LEAP_MODEL_NAME to the path of a model folder, or use an OpenAI-compatible server
                with LEAP_MODEL_PROVIDER=openai and LEAP_MODEL_BASE_URL.""".formatted(name, reason, name, directory, FINISHED);
    }
}
