package dev.leap.agent.model.jlama.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.FloatBufferTensor;
import com.github.tjake.jlama.tensor.Q4ByteBufferTensor;
import com.github.tjake.jlama.tensor.Q8ByteBufferTensor;
import com.github.tjake.jlama.tensor.operations.NativeSimdTensorOperations;
import com.github.tjake.jlama.tensor.operations.TensorOperations;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leap's kernels against Jlama's native ones on random tensors with the widths of Llama 3.2 1B
 * (2048 wide, 8192 in the feed-forward layer, 512 for keys and values) and the calls Jlama's layers
 * make: row chunks as {@code VectorMath.pchunk} cuts them, one activation row while generating, a
 * batch of them for a prompt. Equality is bit for bit: the kernels do Jlama's arithmetic in Jlama's
 * order. Where Jlama cannot be asked (it leaves some outputs of a batch unwritten, and reads past the
 * row when the width is not a multiple of 256) {@link ReferenceProducts} is.
 */
class LeapTensorOperationsTest {

    private static TensorOperations jlama;
    private static LeapTensorOperations leap;

    @BeforeAll
    static void kernels(@TempDir Path directory) {
        jlama = new NativeSimdTensorOperations();
        NativeKernels.Loaded loaded = NativeKernels.load(directory);
        assertThat(loaded.kernels()).as(loaded.where()).isPresent();
        leap = new LeapTensorOperations(jlama, loaded.kernels().get());
    }

    @Test
    void generationProductsAreJlamasBitForBit() {
        for (int[] widths : new int[][] {{2048, 2048}, {2048, 512}, {2048, 8192}, {8192, 2048}}) {
            int columns = widths[0];
            int rows = Math.min(widths[1], 1024) + 3; // leaves a tail shorter than a tile of rows
            Q4ByteBufferTensor weights = q4(rows, columns, columns);
            Q8ByteBufferTensor activation = i8(1, columns, columns + rows);
            assertSameAsJlama(activation, weights, 0, columns, 0, 32);
        }
    }

    @Test
    void promptBatchesAreJlamasWhereJlamaWritesAndTheReferenceWhereItDoesNot() {
        for (int[] shape : new int[][] {{2, 2048, 67}, {7, 2048, 130}, {16, 8192, 37}, {128, 2048, 35}}) {
            int batch = shape[0];
            int columns = shape[1];
            Q4ByteBufferTensor weights = q4(shape[2], columns, batch);
            Q8ByteBufferTensor activations = i8(batch, columns, columns);
            assertSameAsJlama(activations, weights, 0, columns, 0, 4);
        }
    }

    /**
     * Rows wider than 16,384 columns: the kernels keep fewer activation rows to a group (their
     * integer sums share 64 KB), three at 20,480 columns and one at 40,960.
     */
    @Test
    void batchesOfVeryWideRowsAreJlamas() {
        for (int[] shape : new int[][] {{7, 20480, 5}, {3, 40960, 3}}) {
            Q4ByteBufferTensor weights = q4(shape[2], shape[1], shape[0]);
            Q8ByteBufferTensor activations = i8(shape[0], shape[1], shape[1] + 1);
            assertSameAsJlama(activations, weights, 0, shape[1], 0, 1);
        }
    }

    /** Jlama's recursive tiling never visits the corner left over in both directions. */
    @Test
    void jlamaLeavesTheCornerOfABatchUnwrittenAndLeapComputesIt() {
        Q4ByteBufferTensor weights = q4(7, 256, 1);
        Q8ByteBufferTensor activations = i8(7, 256, 2);
        FloatBufferTensor byJlama = nanFilled(7, 7);
        FloatBufferTensor byLeap = nanFilled(7, 7);

        jlama.dotProductChunk(byJlama, activations, weights, 0, 256, 0, 7);
        leap.dotProductChunk(byLeap, activations, weights, 0, 256, 0, 7);

        assertThat(byJlama.get(6, 6)).isNaN();
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                assertThat(byLeap.get(i, j)).isEqualTo(ReferenceProducts.i8TimesQ4(activations, i, weights, j, 0, 256));
            }
        }
    }

    @Test
    void logitsFromF32ActivationsAreJlamasBitForBit() {
        Q4ByteBufferTensor weights = q4(1001, 2048, 5);
        for (int batch : new int[] {1, 3}) {
            FloatBufferTensor activations = f32(batch, 2048, 6 + batch);
            assertSameAsJlama(activations, weights, 0, 2048, 0, 32);
        }
    }

    /** One activation row (generation) and a batch, whole and partial groups of eight blocks. */
    @Test
    void widthsThatAreNotAMultipleOf256MatchTheReference() {
        for (int batch : new int[] {1, 3}) {
            for (int columns : new int[] {32, 96, 800}) {
                Q4ByteBufferTensor weights = q4(11, columns, columns);
                Q8ByteBufferTensor i8 = i8(batch, columns, columns + 1);
                FloatBufferTensor f32 = f32(batch, columns, columns + 2);
                FloatBufferTensor byLeap = nanFilled(batch, 11);
                leap.dotProductChunk(byLeap, i8, weights, 0, columns, 0, 11);
                FloatBufferTensor logitsByLeap = nanFilled(batch, 11);
                leap.dotProductChunk(logitsByLeap, f32, weights, 0, columns, 0, 11);
                for (int i = 0; i < batch; i++) {
                    for (int j = 0; j < 11; j++) {
                        assertThat(byLeap.get(i, j))
                                .isEqualTo(ReferenceProducts.i8TimesQ4(i8, i, weights, j, 0, columns));
                        assertThat(logitsByLeap.get(i, j))
                                .isEqualTo(ReferenceProducts.f32TimesQ4(f32, i, weights, j, 0, columns));
                    }
                }
            }
        }
    }

    /** Part of the columns, and an output shifted along its row, as attention-style callers ask. */
    @Test
    void columnAndResultOffsetsAreJlamas() {
        Q4ByteBufferTensor weights = q4(40, 1024, 7);
        Q8ByteBufferTensor activations = i8(5, 1024, 8);
        FloatBufferTensor byJlama = nanFilled(5, 64);
        FloatBufferTensor byLeap = nanFilled(5, 64);

        jlama.batchDotProduct(byJlama, activations, weights, 256, 256, 512, 20, 3, 37);
        leap.batchDotProduct(byLeap, activations, weights, 256, 256, 512, 20, 3, 37);

        assertBitsEqual(byLeap, byJlama);
        // Weight row 3, the first of the chunk, lands 20 columns further along the result's row.
        assertThat(byLeap.get(0, 23)).isEqualTo(ReferenceProducts.i8TimesQ4(activations, 0, weights, 3, 256, 512));
    }

    /** The slice of one row of a batch, as Jlama samples the last position of a prompt. */
    @Test
    void aSlicedActivationRowIsJlamas() {
        Q4ByteBufferTensor weights = q4(70, 2048, 9);
        Q8ByteBufferTensor batch = i8(6, 2048, 10);
        AbstractTensor row = batch.slice(4);
        FloatBufferTensor byJlama = nanFilled(1, 70);
        FloatBufferTensor byLeap = nanFilled(1, 70);

        jlama.dotProductChunk(byJlama, row, weights, 0, 2048, 0, 70);
        leap.dotProductChunk(byLeap, row, weights, 0, 2048, 0, 70);

        assertBitsEqual(byLeap, byJlama);
    }

    /** The gate and up projections of the feed-forward layer share one call. */
    @Test
    void gateAndUpProjectionsInOneCallAreJlamas() {
        Q4ByteBufferTensor gate = q4(96, 2048, 11);
        Q4ByteBufferTensor up = q4(96, 2048, 12);
        Q8ByteBufferTensor activations = i8(5, 2048, 13);
        AbstractTensor[] byJlama = {nanFilled(5, 96), nanFilled(5, 96)};
        AbstractTensor[] byLeap = {nanFilled(5, 96), nanFilled(5, 96)};

        for (int chunk = 0; chunk < 96; chunk += 24) {
            jlama.dotProductBatchChunk(byJlama, activations, new AbstractTensor[] {gate, up}, 0, 2048, chunk, 24);
            leap.dotProductBatchChunk(byLeap, activations, new AbstractTensor[] {gate, up}, 0, 2048, chunk, 24);
        }

        assertBitsEqual(byLeap[0], byJlama[0]);
        assertBitsEqual(byLeap[1], byJlama[1]);
    }

    @Test
    void quantisedActivationsAreJlamasBitForBit() {
        FloatBufferTensor activations = f32(5, 2048, 21);
        MemorySegment values = activations.getMemorySegment();
        for (int column = 0; column < 32; column++) {
            values.setAtIndex(ValueLayout.JAVA_FLOAT, 2048 + column, 0f);              // a block of zeros
            values.setAtIndex(ValueLayout.JAVA_FLOAT, 2 * 2048 + 32 + column, column == 7 ? -3f : 0f);
            // Values whose scaled form falls halfway between two integers, on both sides of zero.
            values.setAtIndex(ValueLayout.JAVA_FLOAT, 3 * 2048 + 64 + column, (column - 15.5f) * 4f);
        }
        for (int[] columns : new int[][] {{0, 2048}, {512, 1024}}) {
            try (AbstractTensor byJlama = jlama.quantize(activations, DType.I8, columns[0], columns[1]);
                    AbstractTensor byLeap = leap.quantize(activations, DType.I8, columns[0], columns[1])) {
                assertThat(byLeap).isInstanceOf(Q8ByteBufferTensor.class).isNotSameAs(byJlama);
                Q8ByteBufferTensor leapQ8 = (Q8ByteBufferTensor) byLeap;
                Q8ByteBufferTensor jlamaQ8 = (Q8ByteBufferTensor) byJlama;
                for (int row = 0; row < 5; row++) {
                    for (int column = columns[0]; column < columns[0] + columns[1]; column++) {
                        assertThat(signedByte(leapQ8, row, column)).as("value %d,%d", row, column)
                                .isEqualTo(signedByte(jlamaQ8, row, column));
                    }
                    for (int block = columns[0] / 32; block < (columns[0] + columns[1]) / 32; block++) {
                        assertThat(Float.floatToRawIntBits(leapQ8.getBlockF().get(row, block)))
                                .as("scale %d,%d", row, block)
                                .isEqualTo(Float.floatToRawIntBits(jlamaQ8.getBlockF().get(row, block)));
                    }
                }
                if (columns[0] == 0) {
                    assertThat(leapQ8.getBlockF().get(1, 0)).isZero();
                    assertThat(signedByte(leapQ8, 1, 5)).isZero();
                    // Jlama adds 0.5 and truncates toward zero: -127 becomes -126.
                    assertThat(signedByte(leapQ8, 2, 32 + 7)).isEqualTo((byte) -126);
                    assertThat(leapQ8.getBlockF().get(2, 1)).isEqualTo(3f / 127f);
                }
            }
        }
    }

    private static byte signedByte(Q8ByteBufferTensor tensor, int row, int column) {
        return tensor.getMemorySegment().get(ValueLayout.JAVA_BYTE, (long) row * tensor.getStride() + column);
    }

    /** Products the kernels do not take, such as attention's F32 x F32, are Jlama's own. */
    @Test
    void otherProductsGoToJlama() {
        FloatBufferTensor queries = f32(2, 512, 14);
        FloatBufferTensor keys = f32(9, 512, 15);
        FloatBufferTensor byJlama = nanFilled(2, 9);
        FloatBufferTensor byLeap = nanFilled(2, 9);

        jlama.dotProductChunk(byJlama, queries, keys, 0, 512, 0, 9);
        leap.dotProductChunk(byLeap, queries, keys, 0, 512, 0, 9);

        assertBitsEqual(byLeap, byJlama);
        assertThat(LeapTensorOperations.takes(byLeap, queries, keys, 0, 0, 512)).isFalse();
        assertThat(LeapTensorOperations.takes(byLeap, queries, q4(9, 512, 16), 0, 0, 512)).isTrue();
        assertThat(LeapTensorOperations.takes(byLeap, queries, q4(9, 512, 17), 16, 16, 496)).isFalse();
        int tooWide = LeapTensorOperations.MAX_COLUMNS + 32;
        assertThat(LeapTensorOperations.takes(byLeap, f32(1, tooWide, 18), q4(1, tooWide, 19), 0, 0, tooWide)).isFalse();
    }

    /**
     * Computes the full product in the row chunks Jlama's layers use, with both operations, into
     * results filled with NaN: Leap must equal Jlama bit for bit wherever Jlama wrote, and the
     * reference wherever it did not.
     */
    private static void assertSameAsJlama(AbstractTensor activations, Q4ByteBufferTensor weights,
            int columnOffset, int columns, int firstRow, int chunks) {
        int batch = activations.shape().first();
        int rows = weights.shape().first();
        FloatBufferTensor byJlama = nanFilled(batch, rows);
        FloatBufferTensor byLeap = nanFilled(batch, rows);
        for (int[] chunk : chunks(firstRow, rows - firstRow, chunks)) {
            jlama.dotProductChunk(byJlama, activations, weights, columnOffset, columns, chunk[0], chunk[1]);
            leap.dotProductChunk(byLeap, activations, weights, columnOffset, columns, chunk[0], chunk[1]);
        }
        int unwrittenByJlama = 0;
        for (int i = 0; i < batch; i++) {
            for (int j = firstRow; j < rows; j++) {
                float leapValue = byLeap.get(i, j);
                float jlamaValue = byJlama.get(i, j);
                if (Float.isNaN(jlamaValue)) {
                    unwrittenByJlama++;
                    float reference = activations instanceof Q8ByteBufferTensor q8
                            ? ReferenceProducts.i8TimesQ4(q8, i, weights, j, columnOffset, columns)
                            : ReferenceProducts.f32TimesQ4(activations, i, weights, j, columnOffset, columns);
                    assertThat(leapValue).as("output %d,%d that Jlama left unwritten", i, j).isEqualTo(reference);
                } else {
                    assertThat(Float.floatToRawIntBits(leapValue))
                            .as("output %d,%d: Leap %s, Jlama %s", i, j, leapValue, jlamaValue)
                            .isEqualTo(Float.floatToRawIntBits(jlamaValue));
                }
            }
        }
        if (batch == 1) {
            assertThat(unwrittenByJlama).as("Jlama writes every output of a single row").isZero();
        }
    }

    /** Jlama's {@code VectorMath.pchunk}: equal chunks, the remainder added to the last one. */
    private static List<int[]> chunks(int offset, int length, int splits) {
        int size = length / splits;
        List<int[]> chunks = new ArrayList<>();
        for (int i = 0; i < splits; i++) {
            int start = offset + i * size;
            chunks.add(new int[] {start, i == splits - 1 ? length - i * size : size});
        }
        return chunks;
    }

    private static void assertBitsEqual(AbstractTensor actual, AbstractTensor expected) {
        for (int i = 0; i < expected.shape().first(); i++) {
            for (int j = 0; j < expected.shape().last(); j++) {
                assertThat(Float.floatToRawIntBits(actual.get(i, j)))
                        .as("output %d,%d: %s, expected %s", i, j, actual.get(i, j), expected.get(i, j))
                        .isEqualTo(Float.floatToRawIntBits(expected.get(i, j)));
            }
        }
    }

    static FloatBufferTensor f32(int rows, int columns, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FloatBufferTensor t = new FloatBufferTensor(rows, columns);
        for (long i = 0; i < (long) rows * columns; i++) {
            // Mostly small values with an occasional large one, as in real activations and weights.
            double v = random.nextDouble(-1, 1) * (random.nextInt(50) == 0 ? 8 : 1);
            t.getMemorySegment().setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
        }
        return t;
    }

    static Q4ByteBufferTensor q4(int rows, int columns, long seed) {
        return new Q4ByteBufferTensor(f32(rows, columns, seed));
    }

    static Q8ByteBufferTensor i8(int rows, int columns, long seed) {
        return new Q8ByteBufferTensor(f32(rows, columns, seed));
    }

    private static FloatBufferTensor nanFilled(int rows, int columns) {
        FloatBufferTensor t = new FloatBufferTensor(rows, columns);
        for (long i = 0; i < (long) rows * columns; i++) {
            t.getMemorySegment().setAtIndex(ValueLayout.JAVA_FLOAT, i, Float.NaN);
        }
        return t;
    }
}
