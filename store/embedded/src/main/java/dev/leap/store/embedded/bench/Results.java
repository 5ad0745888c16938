package dev.leap.store.embedded.bench;

import java.time.LocalDate;
import java.util.Locale;

/** What {@link StoreBench} measured, and its section of {@code docs/performance.md}. */
record Results(LocalDate date, StoreBench.Sizes sizes, double loadAtStart, double loadAtEnd, Percentiles fsync,
        Percentiles singleAppend, double batchedEventsPerSecond, double rawEventsPerSecond, double fillEventsPerSecond,
        long logFileBytes, double readAllEventsPerSecond, double verifyEventsPerSecond) {

    String markdown() {
        return String.format(Locale.ROOT, """
                ### Event log, embedded engine (`./leap bench store`)

                Measured %s on this machine (%d cores): SQLite in WAL mode with synchronous=FULL, so every
                append is on disk when it returns. Events shaped like Leap's (about 200 bytes of data and 190 of
                metadata); throughputs are the median of %d runs. The load average was %.1f at the start and
                %.1f at the end: other work on the machine shares its cores and its disk, and moves every figure.

                | measure | result | target |
                |---|---|---|
                | this disk's fsync of one 4 KiB page (the floor under any durable append) | p50 %.2f ms, p99 %.2f ms | |
                | durable single append, its own transaction (%,d appends) | p50 **%.2f ms**, p99 %.2f ms | p50 ≤ 1 ms |
                | batched append, %,d events per append (%,d events) | **%,.0f events/s** | ≥ 200,000 events/s |
                | raw sqlite-jdbc inserts of the same rows, same table and settings (same run) | %,.0f events/s: the log does **%.2f** of it | |
                | batched append while filling a log to %,d events (one run) | %,.0f events/s | |
                | read the whole log, %,d events (%,.0f MB), pages of %,d | **%,.0f events/s** | ≥ 1,000,000 events/s |
                | verify its hash chain | **%,.0f events/s** | |
                """,
                date, Runtime.getRuntime().availableProcessors(), StoreBench.RUNS, loadAtStart, loadAtEnd,
                fsync.p50Millis(), fsync.p99Millis(),
                sizes.singleAppends(), singleAppend.p50Millis(), singleAppend.p99Millis(), StoreBench.BATCH,
                sizes.batches() * StoreBench.BATCH, batchedEventsPerSecond, rawEventsPerSecond,
                batchedEventsPerSecond / rawEventsPerSecond, sizes.logEvents(), fillEventsPerSecond, sizes.logEvents(),
                logFileBytes / 1e6, StoreBench.PAGE,
                readAllEventsPerSecond, verifyEventsPerSecond);
    }
}
