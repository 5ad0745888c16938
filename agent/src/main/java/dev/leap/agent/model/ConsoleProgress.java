package dev.leap.agent.model;

import com.github.tjake.jlama.util.ProgressReporter;
import java.io.PrintStream;
import java.util.Locale;

/** A download progress bar on the terminal, redrawn in place, at most a few times a second. */
public final class ConsoleProgress implements ProgressReporter {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private String currentFile;
    private long lastDrawn;

    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void update(String file, long done, long total) {
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (!file.equals(currentFile)) {
            if (currentFile != null) {
                out.println();
            }
            currentFile = file;
        } else if (!finished && now - lastDrawn < 200_000_000L) {
            return;
        }
        lastDrawn = now;
        out.print("\r" + line(file, done, total));
        if (finished) {
            out.println();
            currentFile = null;
        }
        out.flush();
    }

    static String line(String file, long done, long total) {
        if (total <= 0) {
            return String.format(Locale.ROOT, "Downloading %s  %s", file, size(done));
        }
        int filled = (int) Math.min(WIDTH, WIDTH * done / total);
        return String.format(Locale.ROOT, "Downloading %s  [%s%s] %3d%%  %s / %s", file, "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * done / total, size(done), size(total));
    }

    private static String size(long bytes) {
        if (bytes < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
