package dev.leap.agent.model.jlama.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.math.ActivationFunction;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native SiLU and product give Jlama's numbers bit for bit. (The feed-forward block as a whole is
 * compared with Jlama's inside whole models, by {@link LeapAttentionTest}.)
 */
class LeapMLPBlockTest {

    @TempDir
    Path directory;

    @Test
    void theNativeSiluTimesUpIsJlamasBitForBit() {
        NativeKernels kernels = NativeKernels.load(directory).kernels().orElseThrow();
        assertThat(kernels.expUnavailable()).isEmpty();
        // Rows of 37 (not a multiple of four) with room on either side that the kernel must not touch:
        // ordinary activations, values whose exp overflows or underflows, zeros of both signs,
        // infinities, a NaN and the smallest floats.
        int rows = 5;
        int stride = 45;
        int offset = 3;
        int length = 37;
        float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 709.5f, 709.9f, -745.0f, -745.2f, 800f, -800f};
        SplittableRandom random = new SplittableRandom(11);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocate((long) rows * stride * Float.BYTES, 32);
            MemorySegment up = arena.allocate(values.byteSize(), 32);
            float[] before = new float[rows * stride];
            float[] ups = new float[rows * stride];
            for (int i = 0; i < before.length; i++) {
                boolean isSpecial = i >= offset && i - offset < special.length;
                before[i] = isSpecial ? special[i - offset] : (float) (random.nextGaussian() * (i % 3 == 0 ? 30 : 3));
                values.setAtIndex(ValueLayout.JAVA_FLOAT, i, before[i]);
                ups[i] = i % 7 == 0 ? 1f : (float) random.nextGaussian();
                up.setAtIndex(ValueLayout.JAVA_FLOAT, i, ups[i]);
            }
            kernels.siluTimes(values, up, stride, rows, offset, length);
            for (int i = 0; i < before.length; i++) {
                int column = i % stride;
                boolean inside = column >= offset && column < offset + length;
                // Jlama: the activation, rounded to float, then maccumulate's float product.
                float expected = inside ? ActivationFunction.eval(ActivationFunction.Type.SILU, before[i]) * ups[i]
                        : before[i];
                float actual = values.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                if (Float.isNaN(expected)) {
                    assertThat(actual).as("value %d (%s)", i, before[i]).isNaN();
                } else {
                    assertThat(Float.floatToRawIntBits(actual)).as("value %d (%s): %s, Jlama %s", i, before[i], actual,
                            expected).isEqualTo(Float.floatToRawIntBits(expected));
                }
            }
        }
    }
}
