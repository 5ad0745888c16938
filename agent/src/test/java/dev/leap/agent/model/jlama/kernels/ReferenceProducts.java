package dev.leap.agent.model.jlama.kernels;

import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.Q4ByteBufferTensor;
import com.github.tjake.jlama.tensor.Q8ByteBufferTensor;
import java.lang.foreign.ValueLayout;

/**
 * The products of Jlama's AVX2 kernels written out in scalar Java, whose float arithmetic is IEEE
 * single precision with no reassociation: eight lanes per dot product, one fused multiply-add per
 * 32-column block and lane, lanes summed left to right. It checks the kernels where Jlama cannot
 * (columns that are not a multiple of 256, outputs Jlama leaves unwritten) and states the order of
 * the arithmetic that "the same results" means.
 */
final class ReferenceProducts {

    private static final int BLOCK = 32;

    private ReferenceProducts() {}

    /** Row {@code i} of I8 activations times row {@code j} of Q4 weights over {@code columns}. */
    static float i8TimesQ4(Q8ByteBufferTensor a, int i, Q4ByteBufferTensor b, int j, int firstColumn, int columns) {
        float[] lanes = new float[8];
        for (int block = firstColumn; block < firstColumn + columns; block += BLOCK) {
            float scale = a.getBlockF().get(i, block / BLOCK) * b.getBlockF().get(j, block / BLOCK);
            for (int lane = 0; lane < 8; lane++) {
                int dot = 0;
                for (int c = block + 4 * lane; c < block + 4 * lane + 4; c++) {
                    dot += activation(a, i, c) * weight(b, j, c);
                }
                lanes[lane] = Math.fma(scale, (float) dot, lanes[lane]);
            }
        }
        return sum(lanes);
    }

    /** Row {@code i} of F32 activations times row {@code j} of Q4 weights over {@code columns}. */
    static float f32TimesQ4(AbstractTensor a, int i, Q4ByteBufferTensor b, int j, int firstColumn, int columns) {
        float[] lanes = new float[8];
        for (int c = firstColumn; c < firstColumn + columns; c++) {
            float w = b.getBlockF().get(j, c / BLOCK) * (float) weight(b, j, c);
            lanes[(c - firstColumn) % 8] = Math.fma(a.get(i, c), w, lanes[(c - firstColumn) % 8]);
        }
        return sum(lanes);
    }

    private static float sum(float[] lanes) {
        float sum = 0.0f;
        for (float lane : lanes) {
            sum += lane;
        }
        return sum;
    }

    private static int activation(Q8ByteBufferTensor a, int i, int c) {
        return a.getMemorySegment().get(ValueLayout.JAVA_BYTE, a.getOffset(i, c));
    }

    /** Jlama's Q4 layout: per block 16 bytes, low nibbles columns 0-15, high nibbles 16-31, minus 8. */
    static int weight(Q4ByteBufferTensor b, int j, int c) {
        int blockStart = b.getOffset(j, c - c % BLOCK);
        int inBlock = c % BLOCK;
        byte packed = b.getMemorySegment().get(ValueLayout.JAVA_BYTE, blockStart / 2 + inBlock % (BLOCK / 2));
        int nibble = inBlock < BLOCK / 2 ? packed & 0x0f : (packed >> 4) & 0x0f;
        return nibble - 8;
    }
}
