package dev.leap.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The benchmark's account of the process's resident memory. */
class ResidentMemoryTest {

    @Test
    void this_process_has_resident_memory_some_of_it_mapped_files_and_direct_buffers_counted() {
        ByteBuffer held = ByteBuffer.allocateDirect(8 << 20);

        InferenceBench.Resident resident = InferenceBench.Resident.now();

        assertThat(resident.total()).isPositive();
        assertThat(resident.files()).isPositive().isLessThan(resident.total());
        assertThat(resident.direct()).isGreaterThanOrEqualTo(held.capacity());
        assertThat(resident.heap()).isPositive();
    }

    @Test
    void the_account_names_each_part_and_the_rest() {
        InferenceBench.Resident resident = new InferenceBench.Resident(1_180_000_000L, 780_000_000L, 240_000_000L,
                40_000_000L);

        assertThat(resident.describe()).isEqualTo("1.18 GB: 0.78 mapped files (the weights, the JVM's), 0.24 direct "
                + "(attention state, working tensors), 0.04 Java heap (committed), 0.12 the rest");
    }

    @Test
    void without_proc_nothing_is_claimed() {
        assertThat(new InferenceBench.Resident(-1, -1, 0, 1).describe()).isEqualTo("not measured");
    }
}
