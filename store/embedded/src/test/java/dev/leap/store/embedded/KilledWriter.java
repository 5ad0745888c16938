package dev.leap.store.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs an {@link AppendingWriter} in a JVM of its own, on the test's Java and class path, and
 * kills it with SIGKILL — after it reported a given number of appends, or after a given delay
 * from its start, whichever the round chose. No shutdown hook, finalizer or buffer flush runs.
 */
final class KilledWriter {

    /** The exit status Java reports for a process ended by SIGKILL (signal 9): 128 + 9. */
    static final int KILLED_BY_SIGKILL = 137;

    private static final String END = "";

    private KilledWriter() {
    }

    /** When to kill the writer. */
    sealed interface Kill {

        static Kill afterAppends(int count) {
            return new AfterAppends(count);
        }

        static Kill afterMillis(int millis) {
            return new AfterMillis(millis);
        }

        record AfterAppends(int count) implements Kill {
            @Override
            public String toString() {
                return "after " + count + " reported appends";
            }
        }

        record AfterMillis(int millis) implements Kill {
            @Override
            public String toString() {
                return millis + " ms after its start";
            }
        }
    }

    /** An append the writer reported as returned. */
    record Reported(int index, long firstPosition, long lastPosition) {

        static Reported parse(String line) {
            String[] fields = line.split(" ");
            if (fields.length != 4 || !fields[3].equals("returned")) {
                throw new IllegalStateException("the writer printed an unexpected line: '" + line + "'");
            }
            return new Reported(Integer.parseInt(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]));
        }
    }

    /** What came of one writer: everything it reported before it died, and how it died. */
    record Outcome(List<Reported> reported, int exitCode, String errors) {
    }

    static Outcome run(Path file, long seed, Kill kill, Path scratch) throws IOException, InterruptedException {
        Files.createDirectories(scratch);
        Path errors = scratch.resolve("writer.err");
        Process process = new ProcessBuilder(command(file, seed, scratch)).redirectError(errors.toFile()).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> readLines(process, lines));
        List<String> reported = new ArrayList<>();
        try {
            switch (kill) {
                case Kill.AfterAppends(int count) -> {
                    while (reported.size() < count) {
                        String line = lines.poll(60, TimeUnit.SECONDS);
                        if (line == null) {
                            throw new IllegalStateException("the writer reported nothing for a minute");
                        }
                        if (line.equals(END)) {
                            lines.add(END);
                            break;
                        }
                        reported.add(line);
                    }
                }
                case Kill.AfterMillis(int millis) -> process.waitFor(millis, TimeUnit.MILLISECONDS);
            }
        } finally {
            // SIGKILL, as Process.destroyForcibly sends, but through the handle: Process's own
            // method also closes our end of the pipes, losing lines the writer printed before it died.
            process.toHandle().destroyForcibly();
            process.waitFor();
            process.getOutputStream().close();
        }
        reader.join();
        for (String line = lines.take(); !line.equals(END); line = lines.take()) {
            reported.add(line);
        }
        return new Outcome(reported.stream().map(Reported::parse).toList(), process.exitValue(), Files.readString(errors));
    }

    private static List<String> command(Path file, long seed, Path scratch) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Quick start-up flags: the writer lives for a second at most. Its temp directory is the
        // round's, so the SQLite native library it unpacks does not pile up in /tmp after kills.
        return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + scratch,
                "-cp", System.getProperty("java.class.path"), AppendingWriter.class.getName(),
                file.toString(), Long.toString(seed));
    }

    private static void readLines(Process process, BlockingQueue<String> lines) {
        try (BufferedReader output = process.inputReader()) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lines.add(END);
        }
    }
}
