package dev.leap.connectors.telegram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code quarkus-run.jar}, as {@code ./leap} runs it) in a process of its
 * own, configured through the environment as an owner would, so that a test can stop it the way an
 * owner does (SIGTERM) or kill it the way a power cut does (SIGKILL) and start it again.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Thread reader;
    private final List<String> output = new ArrayList<>();

    private ServiceProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().name("leap-output").start(this::readOutput);
    }

    /** Starts the service with Leap's settings given as environment variables, e.g. {@code LEAP_DATA_DIR}. */
    static ServiceProcess start(Map<String, String> settings) {
        Path jar = Path.of(System.getProperty("leap.service.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run after the package phase (mvn verify)");
        }
        // ./leap's flags, and the quick compiler only: these processes live for seconds.
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("LEAP_") || name.startsWith("QUARKUS_"));
        environment.put("QUARKUS_HTTP_PORT", "0");
        environment.putAll(settings);
        try {
            return new ServiceProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
    }

    /** The first line of output that matches, waiting for it to be printed. */
    synchronized Matcher awaitLine(Pattern pattern) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < output.size(); seen++) {
                Matcher matcher = pattern.matcher(output.get(seen));
                if (matcher.find()) {
                    return matcher;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive()) {
                throw new AssertionError("the service did not print " + pattern + ":\n" + String.join("\n", output));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Stops the service as systemd would: SIGTERM, then a graceful shutdown. (Through the process
     * handle: {@code Process.destroy} would also close the pipes and lose what the service says.)
     */
    void stop() throws InterruptedException {
        process.toHandle().destroy();
        awaitExit();
    }

    /** Kills the service with SIGKILL: no shutdown hook, no flush, nothing after this instant. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        awaitExit();
    }

    private void awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within " + WAIT.toSeconds() + "s");
        }
        reader.join(WAIT);
        System.out.println("[leap " + process.pid() + "] exited with " + process.exitValue());
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("[leap " + process.pid() + "] " + line);
                synchronized (this) {
                    output.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The process is gone.
        }
        synchronized (this) {
            notifyAll();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Leap's settings for a service on these loopback servers, as environment variables. */
    static Map<String, String> settings(Path dataDir, String modelUrl, BotApiServer telegram) {
        Map<String, String> settings = new HashMap<>();
        settings.put("LEAP_DATA_DIR", dataDir.toString());
        settings.put("LEAP_MODEL_PROVIDER", "openai");
        settings.put("LEAP_MODEL_NAME", "scripted-model");
        settings.put("LEAP_MODEL_BASE_URL", modelUrl);
        settings.put("LEAP_TELEGRAM_BOT_TOKEN", TelegramServers.TOKEN);
        settings.put("LEAP_TELEGRAM_API_URL", telegram.url());
        return settings;
    }
}
