package dev.leap.store.embedded.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark itself, on sizes small enough for a test: it runs, reports every measure and cleans up. */
class StoreBenchTest {

    @TempDir
    Path work;

    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    final Map<Path, String> written = new HashMap<>();

    @Test
    void a_small_run_reports_every_measure_to_the_report_and_leaves_no_files_behind() {
        Path report = work.resolve("performance.md");

        int status = StoreBench.run(new String[] {"--work", work.toString(), "--report", report.toString(),
                "--appends", "20", "--batches", "2", "--events", "5000"}, out, written::put);

        assertThat(status).isZero();
        assertThat(written).containsOnlyKeys(report);
        assertThat(written.get(report)).contains(
                "`./leap bench store`",
                "The load average was ",
                "| this disk's fsync of one 4 KiB page",
                "| durable single append, its own transaction (20 appends) | p50 **",
                "| batched append, 1,000 events per append (2,000 events) | **",
                "| raw sqlite-jdbc inserts of the same rows, same table and settings (same run) |",
                "| batched append while filling a log to 5,000 events (one run) | ",
                "| read the whole log, 5,000 events",
                "| verify its hash chain | **");
        assertThat(output.toString(StandardCharsets.UTF_8)).contains(written.get(report), "Written to " + report);
        assertThat(work.resolve("store")).isEmptyDirectory();
    }

    @Test
    void an_unknown_option_prints_the_usage_and_measures_nothing() {
        int status = StoreBench.run(new String[] {"--fast", "yes"}, out, written::put);

        assertThat(status).isEqualTo(2);
        assertThat(output.toString(StandardCharsets.UTF_8)).startsWith("Usage: ./leap bench store");
        assertThat(written).isEmpty();
    }
}
