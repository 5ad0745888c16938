package dev.leap.connectors.cli;

import dev.leap.agent.model.ConsoleProgress;
import dev.leap.agent.model.ModelInstaller;
import dev.leap.agent.model.ModelInstaller.Installed;
import dev.leap.agent.model.ModelSettings;
import dev.leap.agent.model.ModelUnavailableException;
import dev.leap.connectors.service.DataDirectory;
import dev.leap.connectors.service.SettingsFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./leap model pull|list|use}: installs Jlama models (download with progress, 4-bit
 * quantization, a test generation) and chooses the one the service loads. Runs without the service.
 */
public final class ModelCommand {

    static final String USAGE = """
            Usage: ./leap model <command>
              pull NAME|FOLDER   download a model from Hugging Face (or take a local folder), quantize it to
                                 4 bits if needed, check that it generates, and install it
              list               the installed models; * marks the one Leap uses
              use NAME|FOLDER    make Leap use this installed model from its next start""";

    private final Path dataDir;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    ModelCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.dataDir = DataDirectory.of(env);
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Runs the command; returns the process exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        ModelCommand command = new ModelCommand(env, out, err);
        try {
            return switch (args.length == 0 ? "" : args[0]) {
                case "pull" -> args.length == 2 ? command.pull(args[1]) : command.usage();
                case "list" -> args.length == 1 ? command.list() : command.usage();
                case "use" -> args.length == 2 ? command.use(args[1]) : command.usage();
                default -> command.usage();
            };
        } catch (ModelUnavailableException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private int pull(String name) {
        out.println("Installing " + name + " into " + cache());
        Installed installed = installer().pull(name, new ConsoleProgress(err));
        out.printf(Locale.ROOT, "Installed %s (%s weights, %s), and it generates.%n", installed.name(),
                installed.weights(), size(installed.sizeBytes()));
        out.println("Use it with: ./leap model use " + installed.name());
        return 0;
    }

    private int list() {
        List<Installed> models = installer().list();
        String current = current();
        if (models.isEmpty()) {
            out.println("No models are installed in " + cache() + ". Install one with ./leap model pull "
                    + ModelSettings.DEFAULT_JLAMA_MODEL);
        }
        for (Installed model : models) {
            boolean inUse = model.name().equals(current) || model.directory().toString().equals(current);
            out.printf(Locale.ROOT, "%s %-50s %-5s %10s%n", inUse ? "*" : " ", model.name(), model.weights(),
                    size(model.sizeBytes()));
        }
        if (models.stream().noneMatch(m -> m.name().equals(current) || m.directory().toString().equals(current))) {
            out.println("Leap uses " + current + ", which is not installed here yet; ./leap downloads it on start.");
        }
        return 0;
    }

    private int use(String name) {
        Installed model = installer().find(name).orElse(null);
        if (model == null) {
            err.println("No installed model is called " + name + ". Install it first: ./leap model pull " + name);
            return 1;
        }
        new SettingsFile(dataDir.resolve(SettingsFile.FILE_NAME))
                .with(Map.of("leap.model.provider", "jlama", "leap.model.name", model.name()));
        out.println("Leap will use " + model.name() + " from its next start.");
        if (env.containsKey("LEAP_MODEL_NAME") || env.containsKey("LEAP_MODEL_PROVIDER")) {
            out.println("Note: LEAP_MODEL_NAME or LEAP_MODEL_PROVIDER is set in this environment and takes precedence.");
        }
        return 0;
    }

    private int usage() {
        err.println(USAGE);
        return 2;
    }

    /** The model the service would load, as configured now. */
    private String current() {
        String configured = env.get("LEAP_MODEL_NAME");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String chosen = new SettingsFile(dataDir.resolve(SettingsFile.FILE_NAME)).getValue("leap.model.name");
        return chosen == null ? ModelSettings.DEFAULT_JLAMA_MODEL : chosen;
    }

    private ModelInstaller installer() {
        return new ModelInstaller(cache(), dataDir.resolve("jlama"));
    }

    private Path cache() {
        String configured = env.get("LEAP_MODEL_CACHE_DIR");
        return configured == null || configured.isBlank() ? dataDir.resolve("models") : Path.of(configured);
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30
                ? String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    }
}
