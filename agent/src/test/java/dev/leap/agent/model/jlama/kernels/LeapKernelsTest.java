package dev.leap.agent.model.jlama.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.tensor.operations.TensorOperations;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point: the library extracted into the given directory and Jlama handed the kernels. */
class LeapKernelsTest {

    @Test
    void installsTheKernelsIntoJlamaOnceAndSaysWhere(@TempDir Path work) throws ReflectiveOperationException {
        TensorOperations before = JlamaOperationsSlot.current();
        try {
            if (before instanceof LeapTensorOperations leap) {
                JlamaOperationsSlot.replace(leap.jlama());
            }

            LeapKernels.Installation installation = LeapKernels.install(work);

            assertThat(installation.leapKernels()).as(installation.detail()).isTrue();
            assertThat(Path.of(installation.detail())).isRegularFile().startsWith(work.resolve("native"));
            assertThat(TensorOperationsProvider.get()).isInstanceOf(LeapTensorOperations.class);
            assertThat(installation.operations()).isEqualTo(TensorOperationsProvider.get().name());
            TensorOperations installed = TensorOperationsProvider.get();
            assertThat(LeapKernels.install(work.resolve("elsewhere"))).isEqualTo(installation);
            assertThat(TensorOperationsProvider.get()).isSameAs(installed);
        } finally {
            // Other tests in this JVM expect whatever operations they found.
            JlamaOperationsSlot.replace(before);
        }
    }
}
