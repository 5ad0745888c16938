package dev.leap.agent.model.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.tensor.KvBufferCache;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which attention state a prompt continues from, and what the cache keeps, on a generated model. */
class PromptCacheTest {

    @TempDir
    static Path temp;

    static TinyModel tiny;

    @BeforeAll
    static void load() {
        tiny = TinyModel.load(temp, 3);
    }

    @AfterAll
    static void close() throws Exception {
        tiny.close();
    }

    @Test
    void a_prompt_that_continues_a_state_extends_that_state_in_place() {
        try (PromptCache cache = new PromptCache(tiny.model(), tiny.buffers(), 1_000)) {
            int[] first = tokens(1, 40);
            PromptCache.Lease lease = filled(cache, first);
            cache.release(lease, first);

            PromptCache.Lease next = cache.acquire(concat(first, tokens(2, 10)));

            assertThat(next.kv()).isSameAs(lease.kv());
            assertThat(next.reused()).isEqualTo(40);
            assertThat(cache.cachedPositions()).isZero();
            cache.release(next, concat(first, tokens(2, 10)));
        }
    }

    @Test
    void a_diverging_prompt_copies_the_common_part_when_both_states_fit() {
        try (PromptCache cache = new PromptCache(tiny.model(), tiny.buffers(), 1_000)) {
            PromptCache.Lease lease = cachedFirst(cache);
            int[] second = concat(tokens(1, 30), tokens(3, 12));

            PromptCache.Lease next = cache.acquire(second);

            assertThat(next.kv()).isNotSameAs(lease.kv());
            assertThat(next.reused()).isEqualTo(30);
            assertThat(cache.cachedPositions()).as("the first state is kept for its conversation").isEqualTo(40);
            int layers = tiny.model().getConfig().dctx().numberOfLayers;
            for (int layer = 0; layer < layers; layer += layers - 1) {
                for (int position : new int[] {0, 29}) {
                    assertThat(values(next.kv(), layer, position)).isEqualTo(values(lease.kv(), layer, position));
                }
            }
            cache.release(next, second);
            assertThat(cache.cachedPositions()).isEqualTo(82);
        }
    }

    @Test
    void a_diverging_prompt_takes_the_state_over_when_both_would_not_fit() {
        try (PromptCache cache = new PromptCache(tiny.model(), tiny.buffers(), 60)) {
            PromptCache.Lease lease = cachedFirst(cache);
            int[] second = concat(tokens(1, 30), tokens(3, 25));

            PromptCache.Lease next = cache.acquire(second);

            assertThat(next.kv()).isSameAs(lease.kv());
            assertThat(next.reused()).isEqualTo(30);
            assertThat(cache.cachedPositions()).isZero();
            cache.release(next, second);
            assertThat(cache.cachedPositions()).isEqualTo(55);
        }
    }

    /** A 40-token prompt computed and cached; the prompts that diverge from it share its first 30. */
    private static PromptCache.Lease cachedFirst(PromptCache cache) {
        int[] first = concat(tokens(1, 30), tokens(2, 10));
        PromptCache.Lease lease = filled(cache, first);
        cache.release(lease, first);
        return lease;
    }

    /** A state holding the keys and values of {@code prompt}, computed by the model. */
    private static PromptCache.Lease filled(PromptCache cache, int[] prompt) {
        PromptCache.Lease lease = cache.acquire(prompt);
        tiny.model().batchForward(Arrays.copyOfRange(prompt, lease.reused(), prompt.length), lease.reused(),
                lease.kv()).close();
        return lease;
    }

    private static float[] values(KvBufferCache.KvBuffer kv, int layer, int position) {
        var keys = kv.getKeyTensorForPosition(layer, position);
        var values = kv.getValTensorForPosition(layer, position);
        int size = Math.toIntExact(keys.size());
        float[] both = new float[2 * size];
        for (int i = 0; i < size; i++) {
            both[i] = keys.get(0, i);
            both[size + i] = values.get(0, i);
        }
        return both;
    }

    private static int[] tokens(int seed, int count) {
        return new SplittableRandom(seed).ints(count, 10, 200).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
