package dev.leap.store.embedded.bench;

import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.LogVerification;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

/**
 * {@code ./leap bench store}: how fast the embedded log is on this machine, with every append
 * durable when it returns. Measures, in one run: this disk's fsync (the floor under any durable
 * append), single appends each in its own transaction, batched appends against raw sqlite-jdbc
 * inserts of the same rows into the same table, and reading and verifying a log of a million events.
 *
 * <p>It lives beside the engine it measures; the report file is written by the caller, because the
 * section writer belongs to the application and the store depends on nothing above it.
 */
public final class StoreBench {

    static final int BATCH = 1_000;
    static final int PAGE = 4_096;
    static final int RUNS = 3;

    private final Path work;
    private final PrintStream out;
    private final Sizes sizes;

    /** How much work each measure does. */
    record Sizes(int singleAppends, int batches, int logEvents) {
    }

    StoreBench(Path work, PrintStream out, Sizes sizes) {
        this.work = work;
        this.out = out;
        this.sizes = sizes;
    }

    /**
     * @param args   {@code [--work DIR] [--report FILE] [--appends N] [--batches N] [--events N]}
     * @param report writes the results' markdown into the report file, as the section {@code store}
     */
    public static int run(String[] args, PrintStream out, BiConsumer<Path, String> report) {
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "leap-bench");
        Path reportFile = null;
        Sizes sizes = new Sizes(2_000, 100, 1_000_000);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--work" -> work = Path.of(args[i + 1]);
                case "--report" -> reportFile = Path.of(args[i + 1]);
                case "--appends" -> sizes = new Sizes(Integer.parseInt(args[i + 1]), sizes.batches(), sizes.logEvents());
                case "--batches" -> sizes = new Sizes(sizes.singleAppends(), Integer.parseInt(args[i + 1]), sizes.logEvents());
                case "--events" -> sizes = new Sizes(sizes.singleAppends(), sizes.batches(), Integer.parseInt(args[i + 1]));
                default -> {
                    out.println("Usage: ./leap bench store [--appends N] [--batches N] [--events N] [--work DIR] [--report FILE]");
                    return 2;
                }
            }
        }
        Results results = new StoreBench(work.resolve("store"), out, sizes).measure();
        out.println();
        out.println(results.markdown());
        if (reportFile != null) {
            report.accept(reportFile, results.markdown());
            out.println("Written to " + reportFile);
        }
        return 0;
    }

    Results measure() {
        clean();
        double loadAtStart = loadAverage();
        try {
            out.println("Measuring this disk's fsync...");
            Percentiles fsync = Percentiles.of(FsyncFloor.measure(work, sizes.singleAppends()));
            out.printf(Locale.ROOT, "  p50 %.3f ms, p99 %.3f ms%n", fsync.p50Millis(), fsync.p99Millis());

            out.printf(Locale.ROOT, "%,d durable single appends...%n", sizes.singleAppends());
            Percentiles single = singleAppends();
            out.printf(Locale.ROOT, "  p50 %.3f ms, p99 %.3f ms%n", single.p50Millis(), single.p99Millis());

            out.printf(Locale.ROOT, "Batched appends of %,d events against raw sqlite-jdbc inserts, %d runs each...%n",
                    BATCH, RUNS);
            double[] engine = new double[RUNS];
            double[] raw = new double[RUNS];
            for (int run = 0; run < RUNS; run++) {
                List<List<EventData>> batches = batches(run);
                raw[run] = RawInserts.eventsPerSecond(work.resolve("raw-" + run + ".db"), batches);
                engine[run] = batchedAppends(work.resolve("engine-" + run + ".db"), batches);
                out.printf(Locale.ROOT, "  run %d: raw %,.0f events/s, engine %,.0f events/s%n", run + 1, raw[run], engine[run]);
            }

            out.printf(Locale.ROOT, "Writing a log of %,d events...%n", sizes.logEvents());
            Path large = work.resolve("large.db");
            double fill;
            try (SqliteEventLog log = SqliteEventLog.open(large, Clock.systemUTC())) {
                fill = fill(log);
            }
            out.printf(Locale.ROOT, "  %,.0f events/s%n", fill);
            long fileBytes = Files.size(large);
            double readAll;
            double verify;
            try (SqliteEventLog log = SqliteEventLog.open(large, Clock.systemUTC())) {
                out.println("Reading it all...");
                readAll = median(() -> readAll(log));
                out.println("Verifying its hash chain...");
                verify = median(() -> verify(log));
            }
            return new Results(LocalDate.now(), sizes, loadAtStart, loadAverage(), fsync, single, median(engine),
                    median(raw), fill, fileBytes, readAll, verify);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            clean();
        }
    }

    private Percentiles singleAppends() {
        BenchEvents events = new BenchEvents(1);
        long[] nanos = new long[sizes.singleAppends()];
        try (SqliteEventLog log = SqliteEventLog.open(work.resolve("single.db"), Clock.systemUTC())) {
            for (int i = -200; i < nanos.length; i++) { // the first 200 warm the JIT and are not counted
                EventData event = events.next();
                String stream = "record-" + Math.floorMod(i, 50);
                long start = System.nanoTime();
                log.append(stream, ExpectedRevision.any(), List.of(event));
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
        }
        return Percentiles.of(nanos);
    }

    private List<List<EventData>> batches(int run) {
        BenchEvents events = new BenchEvents(100 + run);
        List<List<EventData>> batches = new ArrayList<>(sizes.batches());
        for (int b = 0; b < sizes.batches(); b++) {
            batches.add(events.batch(BATCH));
        }
        return batches;
    }

    private static double batchedAppends(Path file, List<List<EventData>> batches) {
        try (SqliteEventLog log = SqliteEventLog.open(file, Clock.systemUTC())) {
            long start = System.nanoTime();
            for (int b = 0; b < batches.size(); b++) {
                log.append("bulk-" + b, ExpectedRevision.noStream(), batches.get(b));
            }
            return (double) batches.size() * BATCH / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Appends the large log in batches; returns events per second. Slower than the fresh logs above:
     * the bigger the id index, the more of each batch's random ids land on pages of their own.
     */
    private double fill(SqliteEventLog log) {
        BenchEvents events = new BenchEvents(7);
        long start = System.nanoTime();
        for (int written = 0, b = 0; written < sizes.logEvents(); written += BATCH, b++) {
            log.append("record-" + b, ExpectedRevision.noStream(), events.batch(Math.min(BATCH, sizes.logEvents() - written)));
        }
        return sizes.logEvents() / ((System.nanoTime() - start) / 1e9);
    }

    /** Reads the whole log forwards, a page at a time, as a projection rebuilding from 0 does. */
    private double readAll(SqliteEventLog log) {
        long start = System.nanoTime();
        long count = 0;
        long next = 0;
        while (true) {
            List<RecordedEvent> page = log.readAll(next, PAGE);
            count += page.size();
            if (page.size() < PAGE) {
                break;
            }
            next = page.getLast().position() + 1;
        }
        check(count);
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private double verify(SqliteEventLog log) {
        long start = System.nanoTime();
        LogVerification report = LogVerification.of(log);
        double rate = report.eventsVerified() / ((System.nanoTime() - start) / 1e9);
        if (!report.intact()) {
            throw new IllegalStateException("the benchmark's own log does not verify: " + report.summary());
        }
        check(report.eventsVerified());
        return rate;
    }

    private void check(long count) {
        if (count != sizes.logEvents()) {
            throw new IllegalStateException("read " + count + " events of " + sizes.logEvents());
        }
    }

    private double median(DoubleSupplier measure) {
        double[] runs = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            runs[run] = measure.getAsDouble();
            out.printf(Locale.ROOT, "  run %d: %,.0f events/s%n", run + 1, runs[run]);
        }
        return median(runs);
    }

    private static double median(double[] runs) {
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The one-minute load average: how much else the machine was doing, which moves every figure. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Leaves nothing behind: the large log alone is hundreds of megabytes. */
    private void clean() {
        try {
            if (Files.exists(work)) {
                try (Stream<Path> files = Files.walk(work)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the benchmark's folder " + work, e);
        }
    }
}
