package dev.leap.agent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a benchmark's results into {@code docs/performance.md}, replacing that benchmark's
 * previous results and leaving every other section as it was. Each section sits between
 * {@code <!-- bench:NAME -->} and {@code <!-- /bench:NAME -->}.
 */
public final class PerformanceReport {

    private PerformanceReport() {
    }

    public static void update(Path file, String name, String markdown) {
        String start = "<!-- bench:" + name + " -->";
        String end = "<!-- /bench:" + name + " -->";
        String section = start + "\n" + markdown.strip() + "\n" + end;
        try {
            String text = Files.exists(file) ? Files.readString(file) : "# Performance\n";
            int from = text.indexOf(start);
            int to = text.indexOf(end);
            String updated = from >= 0 && to > from
                    ? text.substring(0, from) + section + text.substring(to + end.length())
                    : text.stripTrailing() + "\n\n" + section + "\n";
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, updated);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + file, e);
        }
    }
}
