package dev.leap.connectors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.agent.model.jlama.SyntheticModel;
import dev.leap.connectors.service.SettingsFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./leap model}, run as the launcher runs it, on a model folder made for the test. */
class ModelCommandTest {

    @TempDir
    Path dataDirectory;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void pull_installs_a_local_model_list_shows_it_and_use_makes_it_the_one_leap_loads() {
        Path folder = SyntheticModel.write(dataDirectory.resolve("downloads/tiny"), SyntheticModel.Shape.tiny(), 9);

        assertThat(run("pull", folder.toString())).isZero();
        assertThat(text(out)).contains("Installed local/tiny-JQ4 (Q4 weights").contains("./leap model use local/tiny-JQ4");

        out.reset();
        assertThat(run("list")).isZero();
        assertThat(text(out)).contains("  local/tiny-JQ4").contains("Leap uses tjake/Llama-3.2-1B-Instruct-JQ4, which is not installed");

        out.reset();
        assertThat(run("use", "local/tiny-JQ4")).isZero();
        assertThat(new SettingsFile(dataDirectory.resolve("leap.properties")).getProperties())
                .containsEntry("leap.model.name", "local/tiny-JQ4")
                .containsEntry("leap.model.provider", "jlama");

        out.reset();
        run("list");
        assertThat(text(out)).startsWith("* local/tiny-JQ4");
    }

    @Test
    void using_a_model_that_is_not_installed_is_refused_and_changes_nothing() {
        assertThat(run("use", "nobody/nothing")).isEqualTo(1);

        assertThat(text(err)).contains("No installed model is called nobody/nothing");
        assertThat(dataDirectory.resolve("leap.properties")).doesNotExist();
    }

    @Test
    void a_wrong_command_prints_the_usage() {
        assertThat(run("fetch")).isEqualTo(2);
        assertThat(text(err)).contains("Usage: ./leap model <command>");
    }

    @Test
    void settings_written_by_leap_rank_above_defaults_and_below_the_environment() {
        SettingsFile settings = new SettingsFile(dataDirectory.resolve("leap.properties"))
                .with(Map.of("leap.model.name", "a/b"))
                .with(Map.of("leap.model.temperature", "0"));

        assertThat(settings.getProperties()).containsOnly(Map.entry("leap.model.name", "a/b"),
                Map.entry("leap.model.temperature", "0"));
        assertThat(settings.getOrdinal()).isGreaterThan(250).isLessThan(300);
    }

    private int run(String... args) {
        return ModelCommand.run(args, Map.of("LEAP_DATA_DIR", dataDirectory.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
