package dev.leap.agent.model.jlama.kernels;

import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.FloatBufferTensor;
import com.github.tjake.jlama.tensor.Q4ByteBufferTensor;
import com.github.tjake.jlama.tensor.Q8ByteBufferTensor;
import com.github.tjake.jlama.tensor.TensorCache;
import com.github.tjake.jlama.tensor.operations.TensorOperations;

/**
 * Jlama's tensor operations with the two products that take the time on Q4 models done by
 * {@link NativeKernels}: I8 activations × Q4 weights (every matrix of every layer) and F32
 * activations × Q4 weights (the logits, whose input Jlama does not quantise); and the quantisation
 * of F32 activations to I8 before the first of them. Everything else, and any shape the kernels do
 * not take, goes to the operations Jlama chose.
 *
 * <p>Offsets and strides are computed as Jlama 0.8.4's {@code NativeSimdTensorOperations} computes
 * them, and the kernels do the same arithmetic in the same order, so the results are Jlama's to
 * the bit, with one difference: for batches Jlama's tiling skips the corner where neither the rows
 * nor the columns fill a whole tile and leaves those outputs unwritten; these kernels write them.
 */
final class LeapTensorOperations implements TensorOperations {

    /** Columns per Q4 and I8 scale. */
    private static final int BLOCK = Q4ByteBufferTensor.BLOCK_SIZE;

    /**
     * Widest product the kernels take (MAX_COLUMNS in leap_kernels.c): they keep a row's integer
     * sums, a byte's worth per column, on the stack. Wider ones are Jlama's.
     */
    static final int MAX_COLUMNS = 65536;

    /**
     * Row chunks per matrix product; Jlama's native operations ask for 128. {@code VectorMath.pchunk}
     * hands the last chunk {@code rows % chunkSize} extra rows instead of the true remainder, so for
     * some row counts it never computes the last rows. With 32 chunks every count from 32 × 32 =
     * 1,024 rows up is covered; with 128, only counts from 16,384 up are sure to be. Larger chunks
     * also mean fewer downcalls, and 32 still leaves the fork-join pool enough pieces to keep two
     * cores busy.
     */
    static final int CHUNKS_PER_PRODUCT = 32;

    private final TensorOperations jlama;
    private final NativeKernels kernels;

    LeapTensorOperations(TensorOperations jlama, NativeKernels kernels) {
        this.jlama = jlama;
        this.kernels = kernels;
    }

    TensorOperations jlama() {
        return jlama;
    }

    NativeKernels kernels() {
        return kernels;
    }

    @Override
    public String name() {
        return "Leap AVX2 kernels over " + jlama.name();
    }

    @Override
    public int parallelSplitSize() {
        return CHUNKS_PER_PRODUCT;
    }

    @Override
    public void batchDotProduct(AbstractTensor result, AbstractTensor a, AbstractTensor b,
            int aColumnOffset, int bColumnOffset, int columnLength,
            int rRowOffset, int bRowOffset, int rowChunkSize) {
        if (!takes(result, a, b, aColumnOffset, bColumnOffset, columnLength)) {
            jlama.batchDotProduct(result, a, b, aColumnOffset, bColumnOffset, columnLength,
                    rRowOffset, bRowOffset, rowChunkSize);
            return;
        }
        Q4ByteBufferTensor weights = (Q4ByteBufferTensor) b;
        int m = a.shape().dim(0);
        int aOffset = a.getOffset(0, aColumnOffset);
        int bOffset = weights.getMemorySegmentOffset(b.getOffset(b.shape().sparseRowOffset(), bColumnOffset));
        // As in Jlama: sparse columns of the result and sparse rows of the weights shift the output.
        int rOffset = result.shape().sparseColumnOffset() - b.shape().sparseRowOffset() - rRowOffset;
        int n0 = bRowOffset - b.shape().sparseRowOffset();
        int bStride = weights.getMemorySegmentOffset(weights.getStride());
        int bScaleStride = weights.getBlockF().getStride();
        if (a instanceof Q8ByteBufferTensor activations) {
            kernels.gemmI8Q4(activations.getBlockF().getMemorySegment(), a.getMemorySegment(), aOffset,
                    weights.getBlockF().getMemorySegment(), weights.getMemorySegment(), bOffset,
                    result.getMemorySegment(), rOffset, m, n0, rowChunkSize, columnLength,
                    a.getStride(), activations.getBlockF().getStride(), bStride, bScaleStride, result.getStride());
        } else {
            kernels.gemmF32Q4(a.getMemorySegment(), aOffset,
                    weights.getBlockF().getMemorySegment(), weights.getMemorySegment(), bOffset,
                    result.getMemorySegment(), rOffset, m, n0, rowChunkSize, columnLength,
                    a.getStride(), bStride, bScaleStride, result.getStride());
        }
    }

    /** The gate and up projections: one product per weight matrix, as Jlama's batch call does. */
    @Override
    public void dotProductBatchChunk(AbstractTensor[] results, AbstractTensor a, AbstractTensor[] b,
            int columnOffset, int columnLength, int chunkStart, int chunkSize) {
        for (int i = 0; i < b.length; i++) {
            if (!takes(results[i], a, b[i], columnOffset, columnOffset, columnLength)) {
                jlama.dotProductBatchChunk(results, a, b, columnOffset, columnLength, chunkStart, chunkSize);
                return;
            }
        }
        for (int i = 0; i < b.length; i++) {
            batchDotProduct(results[i], a, b[i], columnOffset, columnOffset, columnLength, 0, chunkStart, chunkSize);
        }
    }

    /**
     * Whether the kernels compute this product: Q4 weights, I8 or F32 activations, F32 results, and
     * whole blocks (each block has one scale, found by dividing the column by the block size).
     */
    static boolean takes(AbstractTensor result, AbstractTensor a, AbstractTensor b,
            int aColumnOffset, int bColumnOffset, int columnLength) {
        boolean types = b instanceof Q4ByteBufferTensor
                && (a instanceof Q8ByteBufferTensor || a.dType() == DType.F32)
                && result.dType() == DType.F32;
        return types
                && a.dims() == 2 && b.dims() == 2 && result.dims() == 2
                && columnLength > 0
                && columnLength <= MAX_COLUMNS
                && columnLength % BLOCK == 0
                && aColumnOffset % BLOCK == 0
                && bColumnOffset % BLOCK == 0;
    }

    @Override
    public void accumulate(AbstractTensor a, AbstractTensor b, int offset, int length) {
        jlama.accumulate(a, b, offset, length);
    }

    @Override
    public void maccumulate(AbstractTensor a, AbstractTensor b, int offset, int length) {
        jlama.maccumulate(a, b, offset, length);
    }

    @Override
    public void saxpy(float alpha, AbstractTensor x, AbstractTensor y, int xoffset, int yoffset, int limit) {
        jlama.saxpy(alpha, x, y, xoffset, yoffset, limit);
    }

    @Override
    public void saxpy(AbstractTensor alpha, AbstractTensor x, AbstractTensor y, int xoffset, int yoffset,
            int limit, int aOffset, int xRowOffset, int batchSize) {
        jlama.saxpy(alpha, x, y, xoffset, yoffset, limit, aOffset, xRowOffset, batchSize);
    }

    @Override
    public void scale(float factor, AbstractTensor x, int offset, int length) {
        jlama.scale(factor, x, offset, length);
    }

    /**
     * F32 activations to I8, as every layer asks before its products: the same bytes and scales as
     * Jlama's vector code (see the kernel), into the same kind of tensor from Jlama's cache, which
     * the caller releases as it would Jlama's.
     */
    @Override
    public AbstractTensor quantize(AbstractTensor t, DType qtype, int offset, int length) {
        if (qtype != DType.I8 || !(t instanceof FloatBufferTensor) || t.dims() != 2 || t.shape().isSparse()
                || offset % BLOCK != 0 || length % BLOCK != 0 || offset < 0 || offset + length > t.shape().last()) {
            return jlama.quantize(t, qtype, offset, length);
        }
        Q8ByteBufferTensor quantized = (Q8ByteBufferTensor) TensorCache.instance.get(DType.I8, t.shape());
        kernels.quantizeI8(t.getMemorySegment(), t.getStride(), quantized.getMemorySegment(), quantized.getStride(),
                quantized.getBlockF().getMemorySegment(), quantized.getBlockF().getStride(), t.shape().first(), offset,
                length);
        return quantized;
    }

    @Override
    public float sum(AbstractTensor a) {
        return jlama.sum(a);
    }
}
