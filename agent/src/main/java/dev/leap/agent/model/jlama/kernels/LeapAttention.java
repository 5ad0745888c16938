package dev.leap.agent.model.jlama.kernels;

import com.github.tjake.jlama.math.VectorMath;
import com.github.tjake.jlama.model.CausalSelfAttention;
import com.github.tjake.jlama.model.DistributedContext;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.tensor.operations.TensorOperations;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import net.jafama.FastMath;

/**
 * A Llama layer's self-attention computed by {@link NativeKernels}: the same numbers as Jlama
 * 0.8.4's {@link CausalSelfAttention}, bit for bit, in a fraction of the time once the context is
 * long.
 *
 * <p>Jlama attends one position and one query head at a time: for each it reads the keys and the
 * values of every earlier position from memory, so a batch of 40 positions with 32 heads reads the
 * cache 1,280 times, and a generated token 32 times. Here the query heads that share a key-value
 * head (grouped-query attention) and a batch of positions are computed together: each block of keys
 * and values is read once for all of them. The arithmetic of every number is Jlama's (see the
 * kernels), the softmax between the two halves is Jlama's own code path (its {@code FastMath.exp},
 * its order of sums), and the projections and the rotary embedding make the same calls on the same
 * operations. So prompt reuse stays exact, and the tests compare this attention with Jlama's bit for
 * bit on a generated model.
 *
 * <p>The cache is Jlama's pages, but within a page each key-value head's positions are kept
 * together (see {@link #store}), so that a head's keys and values are runs of memory rather than a
 * slice of every row. A Leap model's cache is written and read only here, and copied by whole pages.
 */
final class LeapAttention extends CausalSelfAttention {

    /** Batch positions per unit of parallel work; their scores are kept for one softmax pass. */
    private static final int POSITIONS_PER_UNIT = 16;

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    /** Scores of one unit, per worker thread, grown to the longest context seen. */
    private static final ThreadLocal<MemorySegment> SCORES = ThreadLocal.withInitial(() -> MemorySegment.NULL);

    /** Scores of every head of a generated token, per thread running layers. */
    private static final ThreadLocal<MemorySegment> ONE_SCORES = ThreadLocal.withInitial(() -> MemorySegment.NULL);

    private final LeapLlamaModel model;
    private final Config c;
    private final int layer;
    private final AbstractTensor queryWeights;
    private final AbstractTensor keyWeights;
    private final AbstractTensor valueWeights;
    private final AbstractTensor outputWeights;
    private final AbstractTensor[] queryKeyValueWeights;
    private final NativeKernels kernels;
    private final float scale;
    /** Query heads per key-value head. */
    private final int group;

    LeapAttention(LeapLlamaModel model, Config config, int layer, AbstractTensor queryWeights,
            AbstractTensor keyWeights, AbstractTensor valueWeights, AbstractTensor outputWeights,
            NativeKernels kernels) {
        super(model, layer, queryWeights, keyWeights, valueWeights, outputWeights);
        this.model = model;
        this.c = config;
        this.layer = layer;
        this.queryWeights = queryWeights;
        this.keyWeights = keyWeights;
        this.valueWeights = valueWeights;
        this.outputWeights = outputWeights;
        this.queryKeyValueWeights = new AbstractTensor[] {queryWeights, keyWeights, valueWeights};
        this.kernels = kernels;
        this.scale = config.attentionMultiplier != null
                ? config.attentionMultiplier
                : (float) (1.0 / StrictMath.sqrt(config.headSize));
        this.group = config.isGQA ? config.headGroupSize : 1;
    }

    /**
     * Why this attention cannot compute a model with {@code config} and {@code workingType}
     * activations the way Jlama does, or empty when it can: the whole model in one process, F32
     * activations and cache, no soft-capped scores, heads whose width is a multiple of eight.
     */
    static Optional<String> unsupported(Config config, DType workingType) {
        DistributedContext whole = config.dctx();
        if (workingType != DType.F32) {
            return Optional.of("activations in " + workingType + ", not F32");
        }
        if (whole.attentionSegmentStart != 0 || whole.attentionSegmentLength != config.attentionLength
                || whole.kvSegmentStart != 0 || whole.kvSegmentLength != config.kvLength
                || whole.headStart != 0 || whole.headEnd != config.numberOfHeads) {
            return Optional.of("the model is split across processes");
        }
        if (config.attnLogitSoftCapping != null) {
            return Optional.of("soft-capped attention scores");
        }
        if (config.headSize % 8 != 0) {
            return Optional.of("heads of " + config.headSize + " columns, not a multiple of 8");
        }
        if (config.numberOfHeads % config.numberOfKeyValueHeads != 0) {
            return Optional.of("query heads that do not divide into key-value heads");
        }
        return Optional.empty();
    }

    @Override
    public AbstractTensor forward(AbstractTensor input, int startPosition, KvBufferCache.KvBuffer cache,
            Optional<Consumer<List<AbstractTensor>>> tensorReducer) {
        if (tensorReducer.isPresent()) {
            return super.forward(input, startPosition, cache, tensorReducer); // a model split across nodes
        }
        int batch = input.shape().first();
        try (AbstractTensor queries = model.makeDenseTensor(batch, c.attentionLength);
                AbstractTensor keys = model.makeDenseTensor(batch, c.kvLength);
                AbstractTensor values = model.makeDenseTensor(batch, c.kvLength);
                AbstractTensor attended = model.makeDenseTensor(batch, c.attentionLength)) {
            project(input, queries, keys, values);
            c.ropeFreqs.ifPresent(frequencies -> rotate(frequencies, queries, keys, startPosition, batch));
            int last = startPosition + batch - 1;
            AbstractTensor[] keyPages = cache.getKeyTensorsUptoPosition(layer, last);
            AbstractTensor[] valuePages = cache.getValTensorsUptoPosition(layer, last);
            store(keys, keyPages, startPosition, batch);
            store(values, valuePages, startPosition, batch);
            attend(queries, attended, keyPages, valuePages, startPosition, batch);

            AbstractTensor result = model.makeDenseTensor(batch, c.embeddingLength);
            try (AbstractTensor activations = model.activationsForProduct(attended)) {
                VectorMath.pchunk(0, c.embeddingLength, (chunkStart, chunkSize) -> TensorOperationsProvider.get()
                        .dotProductChunk(result, activations, outputWeights, 0, c.attentionLength, chunkStart,
                                chunkSize));
            }
            return result;
        }
    }

    /**
     * Writes the batch's keys or values ({@code kvLength} floats a position) into the cache's pages
     * head by head: within its page, head {@code g} of a position is at float {@code (g * pageRows +
     * position % pageRows) * headSize}, so that each head's positions are one run of memory (see
     * leap_kernels.c). Only Leap's attention reads the cache of a Leap model; {@link
     * dev.leap.agent.model.jlama.PromptCache} copies it by whole pages, whatever their layout.
     */
    private void store(AbstractTensor rows, AbstractTensor[] pages, int startPosition, int batch) {
        int pageRows = pages[0].shape().first();
        MemorySegment from = rows.getMemorySegment();
        long headBytes = (long) c.headSize * Float.BYTES;
        for (int b = 0; b < batch; b++) {
            int position = startPosition + b;
            MemorySegment page = pages[position / pageRows].getMemorySegment();
            int row = position % pageRows;
            for (int head = 0; head < c.numberOfKeyValueHeads; head++) {
                MemorySegment.copy(from, ((long) b * c.kvLength + (long) head * c.headSize) * Float.BYTES, page,
                        ((long) head * pageRows + row) * headBytes, headBytes);
            }
        }
    }

    /** The query, key and value projections, with the same calls as Jlama's attention makes. */
    private void project(AbstractTensor input, AbstractTensor queries, AbstractTensor keys, AbstractTensor values) {
        if (c.isGQA) {
            VectorMath.pchunk(0, c.attentionLength, (chunkStart, chunkLength) -> TensorOperationsProvider.get()
                    .dotProductChunk(queries, input, queryWeights, 0, c.embeddingLength, chunkStart, chunkLength));
            VectorMath.pchunk(0, c.kvLength, (chunkStart, chunkLength) -> {
                TensorOperations operations = TensorOperationsProvider.get();
                operations.dotProductChunk(keys, input, keyWeights, 0, c.embeddingLength, chunkStart, chunkLength);
                operations.dotProductChunk(values, input, valueWeights, 0, c.embeddingLength, chunkStart, chunkLength);
            });
        } else {
            AbstractTensor[] results = {queries, keys, values};
            VectorMath.pchunk(0, c.attentionLength, (chunkStart, chunkLength) -> TensorOperationsProvider.get()
                    .dotProductBatchChunk(results, input, queryKeyValueWeights, 0, c.embeddingLength,
                            chunkStart, chunkLength));
        }
    }

    /**
     * Rotary position embedding of every query and key of the batch, with Jlama's table and float
     * arithmetic: the pair (x, x + half) of a head turns by the angle at {@code position * half +
     * kvHead * headSize + x}, where kvHead is the head's key-value head.
     */
    private void rotate(float[][] frequencies, AbstractTensor queries, AbstractTensor keys, int startPosition,
            int batch) {
        MemorySegment q = queries.getMemorySegment();
        MemorySegment k = keys.getMemorySegment();
        int half = c.headSize / 2;
        for (int b = 0; b < batch; b++) {
            int angles = (startPosition + b) * half;
            for (int head = 0; head < c.numberOfHeads; head++) {
                rotateHead(frequencies, q, (long) b * c.attentionLength + (long) head * c.headSize,
                        angles + head / group * c.headSize, half);
            }
            for (int kvHead = 0; kvHead < c.numberOfKeyValueHeads; kvHead++) {
                rotateHead(frequencies, k, (long) b * c.kvLength + (long) kvHead * c.headSize,
                        angles + kvHead * c.headSize, half);
            }
        }
    }

    private static void rotateHead(float[][] frequencies, MemorySegment vector, long first, int angle, int half) {
        for (int x = 0; x < half; x++) {
            float[] f = frequencies[angle + x];
            float cos = f[0];
            float sin = f[1];
            float a = vector.getAtIndex(FLOAT, first + x);
            float b = vector.getAtIndex(FLOAT, first + x + half);
            vector.setAtIndex(FLOAT, first + x, a * cos - b * sin);
            vector.setAtIndex(FLOAT, first + x + half, a * sin + b * cos);
        }
    }

    /**
     * Attention of every query head at every position of the batch over the cache up to its own
     * position, into {@code attended}. Units of work are one key-value head and up to {@value
     * #POSITIONS_PER_UNIT} positions, spread over Jlama's threads.
     */
    private void attend(AbstractTensor queries, AbstractTensor attended, AbstractTensor[] keyPages,
            AbstractTensor[] valuePages, int startPosition, int batch) {
        int pageRows = keyPages[0].shape().first();
        MemorySegment q = queries.getMemorySegment();
        MemorySegment out = attended.getMemorySegment();
        // Freed by the garbage collector: closing a shared arena on every layer costs more than this.
        MemorySegment keyAddresses = addresses(keyPages);
        MemorySegment valueAddresses = addresses(valuePages);
        if (batch == 1) {
            attendOne(q, out, keyAddresses, valueAddresses, pageRows, startPosition);
            return;
        }
        int chunks = (batch + POSITIONS_PER_UNIT - 1) / POSITIONS_PER_UNIT;
        VectorMath.pfor(0, c.numberOfKeyValueHeads * chunks, unit -> {
            int kvHead = unit / chunks;
            int first = unit % chunks * POSITIONS_PER_UNIT;
            int positions = Math.min(POSITIONS_PER_UNIT, batch - first);
            int start = startPosition + first;
            int rows = positions * group;
            int stride = start + positions;
            MemorySegment scores = scores((long) rows * stride);
            long rowOffset = (long) first * c.attentionLength + (long) kvHead * group * c.headSize;
            MemorySegment unitQueries = q.asSlice(rowOffset * Float.BYTES);
            MemorySegment unitOut = out.asSlice(rowOffset * Float.BYTES);
            kernels.attentionScores(keyAddresses, pageRows, kvHead, unitQueries,
                    c.attentionLength, group, positions, start, c.headSize, scale, scores, stride);
            softMaxRows(scores, stride, rows, group, start + 1);
            kernels.attentionValues(valueAddresses, pageRows, kvHead, scores, stride,
                    group, positions, start, c.headSize, unitOut, c.attentionLength);
        });
    }

    /**
     * A generated token: one position, whose few query rows would leave the units of a batch with
     * little work each. Here each core takes one run of neighbouring key-value heads, whose keys and
     * values lie together in every page, and goes through the pages in order: the scores, their
     * softmax and the values, with no wait between them.
     */
    private void attendOne(MemorySegment q, MemorySegment out, MemorySegment keyAddresses,
            MemorySegment valueAddresses, int pageRows, int position) {
        int positions = position + 1;
        MemorySegment scores = oneScores((long) c.numberOfHeads * positions);
        int units = Math.min(c.numberOfKeyValueHeads, PhysicalCoreExecutor.instance.get().getCoreCount());
        VectorMath.pfor(0, units, unit -> {
            int from = unit * c.numberOfKeyValueHeads / units;
            int to = (unit + 1) * c.numberOfKeyValueHeads / units;
            kernels.attentionScoresOne(keyAddresses, pageRows, from, to, q, group, c.headSize, scale, scores,
                    positions);
            int rows = (to - from) * group;
            softMaxRows(scores.asSlice((long) from * group * positions * Float.BYTES), positions, rows, rows, positions);
            kernels.attentionValuesOne(valueAddresses, pageRows, from, to, scores, group, positions,
                    c.headSize, out);
        });
    }

    private static MemorySegment addresses(AbstractTensor[] pages) {
        MemorySegment addresses = Arena.ofAuto().allocate(ValueLayout.ADDRESS, pages.length);
        for (int i = 0; i < pages.length; i++) {
            addresses.setAtIndex(ValueLayout.ADDRESS, i, pages[i].getMemorySegment());
        }
        return addresses;
    }

    private static MemorySegment scores(long floats) {
        return grown(SCORES, floats);
    }

    /** The scores of a generated token, kept by the thread that runs the layer for its units to share. */
    private static MemorySegment oneScores(long floats) {
        return grown(ONE_SCORES, floats);
    }

    private static MemorySegment grown(ThreadLocal<MemorySegment> kept, long floats) {
        MemorySegment scores = kept.get();
        if (scores.byteSize() < floats * Float.BYTES) {
            scores = Arena.ofAuto().allocate(floats * Float.BYTES * 5 / 4, 32);
            kept.set(scores);
        }
        return scores;
    }

    /**
     * The softmax of rows {@code r = 0 .. rows - 1} at {@code r * stride}, each of {@code firstLength
     * + r / group} scores: by the native kernel, the same numbers four at a time, where it has
     * jafama's tables, else by {@link #softMax}.
     */
    private void softMaxRows(MemorySegment scores, int stride, int rows, int group, int firstLength) {
        if (kernels.expUnavailable().isEmpty()) {
            kernels.softmax(scores, stride, rows, group, firstLength);
            return;
        }
        for (int row = 0; row < rows; row++) {
            softMax(scores, (long) row * stride, firstLength + row / group);
        }
    }

    /**
     * Jlama's softmax ({@code VectorMath.softMax}) over {@code length} scores from {@code first}:
     * the same maximum, the same exp, the same sum in the same order, the same division.
     */
    static void softMax(MemorySegment scores, long first, int length) {
        float max = scores.getAtIndex(FLOAT, first);
        for (int i = 1; i < length; i++) {
            float score = scores.getAtIndex(FLOAT, first + i);
            if (score > max) {
                max = score;
            }
        }
        float sum = 0.0f;
        for (int i = 0; i < length; i++) {
            float e = (float) FastMath.exp(scores.getAtIndex(FLOAT, first + i) - max);
            scores.setAtIndex(FLOAT, first + i, e);
            sum += e;
        }
        for (int i = 0; i < length; i++) {
            scores.setAtIndex(FLOAT, first + i, scores.getAtIndex(FLOAT, first + i) / sum);
        }
    }
}
