package dev.leap.agent.model.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A prompt run in batches of powers of two gives the output of one batch, bit for bit. */
class ForwardInBatchesTest {

    @TempDir
    static Path temp;

    static TinyModel tiny;

    @BeforeAll
    static void load() {
        tiny = TinyModel.load(temp, 5);
    }

    @AfterAll
    static void close() throws Exception {
        tiny.close();
    }

    @Test
    void a_prompt_in_batches_ends_as_it_does_in_one() {
        // 301 = 128 + 128 + 32 + 8 + 4 + 1
        int[] prompt = new SplittableRandom(4).ints(301, 10, 200).toArray();

        assertThat(lastRow(prompt, 0, 0)).isEqualTo(lastRow(prompt, 0, -1));
    }

    @Test
    void a_continued_prompt_in_batches_ends_as_it_does_in_one() {
        int[] prompt = new SplittableRandom(6).ints(170, 10, 200).toArray();

        assertThat(lastRow(prompt, 37, 37)).isEqualTo(lastRow(prompt, 37, -1));
    }

    @Test
    void there_must_be_a_token_to_run() {
        try (KvBufferCache.KvBuffer kv = tiny.buffers().getEphemeralKvBuffer()) {
            assertThatThrownBy(() -> JlamaChatModel.forwardInBatches(tiny.model(), new int[] {1, 2}, 2, kv))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * The bits of the last output row for {@code prompt}, its first {@code cached} tokens computed
     * first in one batch; the rest in batches from {@code start}, or, with {@code start} -1, in one.
     */
    private static int[] lastRow(int[] prompt, int cached, int start) {
        try (KvBufferCache.KvBuffer kv = tiny.buffers().getEphemeralKvBuffer()) {
            if (cached > 0) {
                tiny.model().batchForward(Arrays.copyOf(prompt, cached), 0, kv).close();
            }
            AbstractTensor<?, ?> output = start < 0
                    ? tiny.model().batchForward(Arrays.copyOfRange(prompt, cached, prompt.length), cached, kv)
                    : JlamaChatModel.forwardInBatches(tiny.model(), prompt, start, kv);
            try (output) {
                int last = output.shape().first() - 1;
                int[] bits = new int[output.shape().last()];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = Float.floatToRawIntBits(output.get(last, i));
                }
                assertThat(Arrays.stream(bits).distinct().count()).isGreaterThan(bits.length / 2);
                return bits;
            }
        }
    }
}
