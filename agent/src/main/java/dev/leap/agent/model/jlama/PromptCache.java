package dev.leap.agent.model.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Attention state of recent prompts, so that a prompt is computed only from where it first differs
 * from one already seen. Every prompt Leap sends starts with the same system prompt and tool
 * descriptions, and a conversation's next prompt starts with its previous one: both are found here
 * as the longest common prefix of tokens, and only the rest is run through the model.
 *
 * <p>Causal attention makes this exact: the keys and values of a position depend only on the
 * tokens up to it. A cached state that continues exactly into the new prompt is extended in place;
 * one that diverges is left intact for its own conversation, and its common part is copied, unless
 * the two would not both fit in the positions kept: then the new prompt takes the state over.
 *
 * <p>Not thread-safe: the chat model uses it under its generation lock.
 */
final class PromptCache implements AutoCloseable {

    private final AbstractModel model;
    private final KvBufferCache buffers;
    private final long maxPositions;
    private final List<Entry> entries = new ArrayList<>();
    private long clock;

    /**
     * @param maxPositions how many positions of attention state to keep in all, across entries; the
     *                     least recently used entries go first (the newest is always kept)
     */
    PromptCache(AbstractModel model, KvBufferCache buffers, long maxPositions) {
        this.model = model;
        this.buffers = buffers;
        this.maxPositions = maxPositions;
    }

    /**
     * Attention state to continue {@code prompt} from. The caller runs positions from
     * {@link Lease#reused()} on, then gives the state back with {@link #release}.
     */
    Lease acquire(int[] prompt) {
        Entry best = null;
        int bestCommon = 0;
        for (Entry entry : entries) {
            int common = commonPrefix(entry.tokens, prompt);
            if (common > bestCommon) {
                best = entry;
                bestCommon = common;
            }
        }
        // The last prompt position is always run: its output gives the first token of the reply.
        int reused = Math.min(bestCommon, prompt.length - 1);
        if (best == null || reused == 0) {
            return new Lease(buffers.getEphemeralKvBuffer(), 0);
        }
        // The prompt continues in the state itself when it continues the state exactly, or when
        // the two would not both fit (releasing this one would evict it): no copy, no second
        // buffer. Positions after the common part are computed again over the old ones, which no
        // earlier position reads.
        if (bestCommon == best.tokens.length || best.tokens.length + prompt.length > maxPositions) {
            entries.remove(best);
            return new Lease(best.kv, reused);
        }
        KvBufferCache.KvBuffer copy = buffers.getEphemeralKvBuffer();
        copyPositions(best.kv, copy, reused);
        best.lastUsed = ++clock;
        return new Lease(copy, reused);
    }

    /** Keeps the state of a finished generation: {@code tokens} are the positions it holds. */
    void release(Lease lease, int[] tokens) {
        if (maxPositions == 0) {
            lease.kv().close();
            return;
        }
        entries.add(new Entry(tokens, lease.kv(), ++clock));
        long total = entries.stream().mapToLong(e -> e.tokens.length).sum();
        while (total > maxPositions && entries.size() > 1) {
            Entry oldest = entries.stream().min((a, b) -> Long.compare(a.lastUsed, b.lastUsed)).orElseThrow();
            entries.remove(oldest);
            oldest.kv.close();
            total -= oldest.tokens.length;
        }
    }

    /** Drops a state that may be half-written (the generation using it failed). */
    void discard(Lease lease) {
        lease.kv().close();
    }

    /** How many positions are cached, for tests and benchmarks. */
    long cachedPositions() {
        return entries.stream().mapToLong(e -> e.tokens.length).sum();
    }

    @Override
    public void close() {
        entries.forEach(entry -> entry.kv.close());
        entries.clear();
    }

    /**
     * Copies the attention state of positions {@code 0 .. positions - 1} by whole pages of the cache
     * (16 positions in the buffers used here), whichever way a page lays out its positions: Jlama's
     * attention keeps whole rows, Leap's each head's rows together. Positions past the last are
     * copied with their page and overwritten before they are read.
     */
    private void copyPositions(KvBufferCache.KvBuffer from, KvBufferCache.KvBuffer to, int positions) {
        if (positions == 0) {
            return;
        }
        int layers = model.getConfig().dctx().numberOfLayers;
        for (int layer = 0; layer < layers; layer++) {
            copyPages(from.getKeyTensorsUptoPosition(layer, positions - 1), to.getKeyTensorsUptoPosition(layer, positions - 1));
            copyPages(from.getValTensorsUptoPosition(layer, positions - 1), to.getValTensorsUptoPosition(layer, positions - 1));
        }
    }

    private static void copyPages(AbstractTensor[] from, AbstractTensor[] to) {
        for (int page = 0; page < from.length; page++) {
            long bytes = from[page].size() * from[page].dType().size();
            MemorySegment.copy(from[page].getMemorySegment(), 0, to[page].getMemorySegment(), 0, bytes);
        }
    }

    static int commonPrefix(int[] a, int[] b) {
        int mismatch = Arrays.mismatch(a, b);
        return mismatch < 0 ? a.length : mismatch;
    }

    /** Attention state lent to one generation; positions below {@code reused} are already filled. */
    record Lease(KvBufferCache.KvBuffer kv, int reused) {
    }

    private static final class Entry {
        final int[] tokens;
        final KvBufferCache.KvBuffer kv;
        long lastUsed;

        Entry(int[] tokens, KvBufferCache.KvBuffer kv, long lastUsed) {
            this.tokens = tokens;
            this.kv = kv;
            this.lastUsed = lastUsed;
        }
    }
}
