package dev.leap.store.embedded.bench;

import java.util.Arrays;

/** The median and the 99th percentile of a set of timings, in milliseconds. */
record Percentiles(double p50Millis, double p99Millis) {

    static Percentiles of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(at(sorted, 0.50) / 1e6, at(sorted, 0.99) / 1e6);
    }

    /** The nearest-rank percentile: the smallest value that {@code share} of the timings do not exceed. */
    private static long at(long[] sorted, double share) {
        int rank = (int) Math.ceil(share * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
