package dev.leap.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tjake.jlama.safetensors.DType;
import dev.leap.agent.model.ModelInstaller.Installed;
import dev.leap.agent.model.jlama.SyntheticModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInstallerTest {

    @TempDir
    Path dataDirectory;

    @Test
    void a_local_full_precision_model_is_quantized_to_4_bits_verified_and_listed() throws Exception {
        Path folder = SyntheticModel.write(dataDirectory.resolve("downloads/tiny"), SyntheticModel.Shape.tiny(), 5);
        Files.delete(folder.resolve(SyntheticModel.FINISHED_MARKER));
        ModelInstaller installer = new ModelInstaller(dataDirectory.resolve("models"), dataDirectory.resolve("jlama"));

        Installed installed = installer.pull(folder.toString(), null);

        assertThat(installed.name()).isEqualTo("local/tiny-JQ4");
        assertThat(installed.directory()).isEqualTo(dataDirectory.resolve("models/local_tiny-JQ4"));
        assertThat(installed.weights()).isEqualTo(DType.Q4);
        assertThat(installed.sizeBytes()).isLessThan(Files.size(folder.resolve("model.safetensors")));
        assertThat(installed.directory().resolve(".finished")).exists();
        assertThat(folder.resolve("README.md")).as("the source folder is left as it was").doesNotExist();
        assertThat(installer.list()).containsExactly(installed);
        assertThat(installer.find("local/tiny-JQ4")).contains(installed);
    }

    @Test
    void pulling_an_installed_model_again_reuses_it() {
        Path folder = SyntheticModel.write(dataDirectory.resolve("downloads/tiny"), SyntheticModel.Shape.tiny(), 5);
        ModelInstaller installer = new ModelInstaller(dataDirectory.resolve("models"), dataDirectory.resolve("jlama"));
        Installed first = installer.pull(folder.toString(), null);
        long modified = first.directory().resolve("model.safetensors").toFile().lastModified();

        Installed again = installer.pull(folder.toString(), null);

        assertThat(again).isEqualTo(first);
        assertThat(again.directory().resolve("model.safetensors").toFile().lastModified()).isEqualTo(modified);
    }

    @Test
    void a_model_that_does_not_load_is_refused_and_nothing_is_installed() throws Exception {
        Path folder = SyntheticModel.write(dataDirectory.resolve("downloads/broken"), SyntheticModel.Shape.tiny(), 5);
        Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"llama\"}");
        ModelInstaller installer = new ModelInstaller(dataDirectory.resolve("models"), dataDirectory.resolve("jlama"));

        assertThatThrownBy(() -> installer.pull(folder.toString(), null)).isInstanceOf(ModelUnavailableException.class);
        assertThat(installer.list()).isEmpty();
        assertThat(dataDirectory.resolve("models")).isEmptyDirectory();
    }
}
