package dev.leap.agent.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures how fast this machine reads memory, the ceiling of token generation: generating a
 * token reads every weight once. It sums a buffer much larger than the caches with SIMD loads,
 * split across the threads inference uses, and keeps the best of a few passes.
 */
final class MemoryBandwidth {

    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;

    private MemoryBandwidth() {
    }

    /** Bytes per second read by {@code threads} threads from a buffer of {@code bytes}. */
    static double measure(int threads, long bytes, int passes) {
        try (Arena arena = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            MemorySegment buffer = arena.allocate(bytes, 64);
            buffer.fill((byte) 1);
            long slice = bytes / threads / SPECIES.vectorByteSize() * SPECIES.vectorByteSize();
            double best = 0;
            long checksum = 0;
            for (int pass = 0; pass < passes; pass++) {
                long start = System.nanoTime();
                List<Future<Long>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    MemorySegment part = buffer.asSlice(t * slice, slice);
                    parts.add(pool.submit(() -> sum(part)));
                }
                for (Future<Long> part : parts) {
                    checksum += part.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                best = Math.max(best, slice * threads / seconds);
            }
            if (checksum == 0) {
                throw new IllegalStateException("the buffer was not read"); // keeps the reads from being optimised away
            }
            return best;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring memory bandwidth", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("measuring memory bandwidth failed", e.getCause());
        }
    }

    private static long sum(MemorySegment segment) {
        LongVector a = LongVector.zero(SPECIES);
        LongVector b = LongVector.zero(SPECIES);
        int step = SPECIES.vectorByteSize();
        long end = segment.byteSize() - 2L * step;
        long offset = 0;
        for (; offset <= end; offset += 2L * step) {
            a = a.add(LongVector.fromMemorySegment(SPECIES, segment, offset, ByteOrder.LITTLE_ENDIAN));
            b = b.add(LongVector.fromMemorySegment(SPECIES, segment, offset + step, ByteOrder.LITTLE_ENDIAN));
        }
        return a.add(b).reduceLanes(VectorOperators.ADD);
    }
}
