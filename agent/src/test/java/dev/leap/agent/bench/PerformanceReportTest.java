package dev.leap.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerformanceReportTest {

    @TempDir
    Path docs;

    @Test
    void a_benchmark_replaces_its_own_section_and_leaves_the_rest_alone() throws Exception {
        Path file = docs.resolve("performance.md");
        Files.writeString(file, "# Performance\n\nHand-written notes.\n");

        PerformanceReport.update(file, "store", "store: 1 ms");
        PerformanceReport.update(file, "inference", "inference: 12 tokens/s");
        PerformanceReport.update(file, "store", "store: 0.5 ms");

        assertThat(Files.readString(file)).isEqualTo("""
                # Performance

                Hand-written notes.

                <!-- bench:store -->
                store: 0.5 ms
                <!-- /bench:store -->

                <!-- bench:inference -->
                inference: 12 tokens/s
                <!-- /bench:inference -->
                """);
    }

    @Test
    void a_missing_file_is_created() throws Exception {
        Path file = docs.resolve("new/performance.md");

        PerformanceReport.update(file, "x", "result");

        assertThat(Files.readString(file)).isEqualTo("# Performance\n\n<!-- bench:x -->\nresult\n<!-- /bench:x -->\n");
    }
}
