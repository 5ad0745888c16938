package dev.leap.connectors.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leap.agent.bench.PerformanceReport;
import dev.leap.store.Direction;
import dev.leap.store.EventLog;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Json;
import dev.leap.tools.records.Checkpoints;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.undo.TurnIndex;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code ./leap bench audit}: how fast the auditor's view answers on a large log. It writes a log of
 * Leap's own shape through the real services (once; later runs reuse it), folds the record
 * projection with checkpoints as the service does, then times the calls behind the audit page — the
 * timeline, the account of a turn, a record's history, the records as of a time — each as the
 * service makes it, JSON included, over many random turns, records and times.
 */
public final class AuditBench {

    static final long SEED = 7;
    static final int WARMUP = 50;

    private final Path work;
    private final PrintStream out;
    private final ObjectMapper json = Json.MAPPER;
    private final Random random = new Random(SEED);

    AuditBench(Path work, PrintStream out) {
        this.work = work;
        this.out = out;
    }

    /** @param args {@code [--events N] [--samples N] [--work DIR] [--report FILE]} */
    public static int run(String[] args, PrintStream out) {
        long events = 1_000_000;
        int samples = 500;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "leap-bench");
        Path report = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[i + 1]);
                case "--samples" -> samples = Integer.parseInt(args[i + 1]);
                case "--work" -> work = Path.of(args[i + 1]);
                case "--report" -> report = Path.of(args[i + 1]);
                default -> {
                    out.println("Usage: ./leap bench audit [--events N] [--samples N] [--work DIR] [--report FILE]");
                    return 2;
                }
            }
        }
        if (args.length % 2 != 0) {
            out.println("Usage: ./leap bench audit [--events N] [--samples N] [--work DIR] [--report FILE]");
            return 2;
        }
        String markdown = new AuditBench(work.resolve("audit-" + events), out).measure(events, samples);
        out.println();
        out.println(markdown);
        if (report != null) {
            PerformanceReport.update(report, "audit", markdown);
            out.println("Written to " + report);
        }
        return 0;
    }

    String measure(long events, int samples) {
        Built built = prepare(events);
        Checkpoints checkpoints = new Checkpoints(work.resolve("projections"), 20);
        try (EventLog log = SqliteEventLog.openIn(work)) {
            long size = log.lastPosition().orElse(-1) + 1;
            LogAudit audit = new LogAudit(log, checkpoints, () -> new TurnIndex(log), () -> {
                throw new IllegalStateException("the benchmark reverts nothing");
            });
            out.println("Sampling turns, records and times...");
            List<String> turns = sample(log, size, samples, event -> event.type().equals("TurnStarted")
                    ? event.stream().substring("turn-".length()) : null);
            List<String> records = sample(log, size, samples, event -> event.stream().startsWith("record-")
                    ? event.stream().substring("record-".length()) : null);
            Instant first = log.readAll(0, 1).getFirst().recordedAt();
            Instant last = log.readAll(Long.MAX_VALUE, 1, Direction.BACKWARDS).getFirst().recordedAt();

            out.println("Timing...");
            Timing newest = time("timeline, newest page (20 turns)", samples, () -> audit.timeline(Long.MAX_VALUE, 20));
            Timing older = time("timeline, a page from a random point", samples,
                    () -> audit.timeline(random.nextLong(size), 20));
            Timing show = time("show TURN, random turns", samples, cycle(turns, id -> audit.turn(id, 0, 100)));
            Timing history = time("history RECORD, random records", samples,
                    cycle(records, id -> audit.history(id, 0, 100)));
            Timing byStream = time("log of one chat stream, newest 50", samples, () -> audit.log(
                    new LogQuery(Long.MAX_VALUE, Direction.BACKWARDS, 50, null, "chat-telegram-telegram-chat-0", null, null,
                            null)));
            Timing asOf = time("records as of a random time (first 100)", Math.max(10, samples / 25),
                    () -> audit.records(new PointInLog.Time(between(first, last)), null, 0, 100));

            long start = System.nanoTime();
            ChainReport chain = audit.verify();
            double verifySeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            long exported = audit.export(0, Long.MAX_VALUE, OutputStream.nullOutputStream());
            double exportSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            RecordProjection rebuilt = new RecordProjection(log);
            int recordCount = rebuilt.snapshot().size();
            double rebuildSeconds = (System.nanoTime() - start) / 1e9;

            return markdown(size, built, List.of(newest, older, show, history, byStream, asOf), chain.intact(),
                    verifySeconds, exported, exportSeconds, recordCount, rebuildSeconds);
        }
    }

    /** How long making the log took, in this run or the earlier one that made it; 0 when not known. */
    private record Built(boolean now, double writeSeconds, double checkpointSeconds) {

        String line(long events) {
            return "events=" + events + " seed=" + SEED + " writeSeconds=" + writeSeconds + " checkpointSeconds="
                    + checkpointSeconds + "\n";
        }

        static Built from(String line) {
            double write = 0;
            double checkpoint = 0;
            for (String field : line.strip().split(" ")) {
                String[] pair = field.split("=", 2);
                switch (pair[0]) {
                    case "writeSeconds" -> write = Double.parseDouble(pair[1]);
                    case "checkpointSeconds" -> checkpoint = Double.parseDouble(pair[1]);
                    default -> {
                    }
                }
            }
            return new Built(false, write, checkpoint);
        }
    }

    /** The log of this size in the work folder, written first if an earlier run did not leave it there. */
    private Built prepare(long events) {
        Path done = work.resolve("complete");
        if (Files.exists(done)) {
            out.println("Using the log written by an earlier run in " + work);
            try {
                return Built.from(Files.readString(done));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        deleteRecursively(work);
        // Every append is fsynced; on a RAM disk that costs nothing, and the finished file is the same.
        Path scratch = Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
                ? Path.of("/dev/shm", "leap-bench-audit-" + ProcessHandle.current().pid())
                : work.resolve("writing");
        out.printf(Locale.ROOT, "Writing a log of %,d events in %s (once; later runs reuse it)...%n", events, scratch);
        long start = System.nanoTime();
        try (EventLog log = SqliteEventLog.openIn(scratch)) {
            new SyntheticLog(log, SEED).write(events,
                    count -> out.printf(Locale.ROOT, "  %,d events, %.0f s%n", count, (System.nanoTime() - start) / 1e9));
        }
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        try {
            Files.createDirectories(work);
            Files.move(scratch.resolve(SqliteEventLog.FILE_NAME), work.resolve(SqliteEventLog.FILE_NAME),
                    StandardCopyOption.REPLACE_EXISTING);
            deleteRecursively(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the log into " + work, e);
        }
        out.println("Folding the records with checkpoints, as the service does...");
        long folding = System.nanoTime();
        try (EventLog log = SqliteEventLog.openIn(work)) {
            new RecordProjection(log, new Checkpoints(work.resolve("projections"), 20));
        }
        double checkpointSeconds = (System.nanoTime() - folding) / 1e9;
        Built built = new Built(true, writeSeconds, checkpointSeconds);
        try {
            Files.writeString(done, built.line(events));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return built;
    }

    /** Ids found at random places in the log: the first event from each place that {@code pick} accepts. */
    private List<String> sample(EventLog log, long size, int count, Function<RecordedEvent, String> pick) {
        List<String> found = new ArrayList<>();
        while (found.size() < count) {
            for (RecordedEvent event : log.readAll(random.nextLong(size), 64)) {
                String id = pick.apply(event);
                if (id != null) {
                    found.add(id);
                    break;
                }
            }
        }
        return found;
    }

    private <T> Supplier<Object> cycle(List<String> ids, Function<String, T> call) {
        int[] next = {0};
        return () -> call.apply(ids.get(next[0]++ % ids.size()));
    }

    private Instant between(Instant first, Instant last) {
        long span = Math.max(1, last.toEpochMilli() - first.toEpochMilli());
        return first.plusMillis(random.nextLong(span));
    }

    /** Times of one call, in milliseconds, each including the JSON the service would send. */
    private record Timing(String what, double[] millis) {
        double percentile(double p) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
        }
    }

    private Timing time(String what, int samples, Supplier<?> call) {
        out.println("  " + what);
        for (int i = 0; i < Math.min(WARMUP, samples); i++) {
            serialise(call.get());
        }
        double[] millis = new double[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            serialise(call.get());
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return new Timing(what, millis);
    }

    private void serialise(Object answer) {
        try {
            json.writeValueAsBytes(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String markdown(long size, Built built, List<Timing> timings, boolean intact, double verifySeconds,
            long exported, double exportSeconds, int records, double rebuildSeconds) {
        StringBuilder table = new StringBuilder();
        for (Timing timing : timings) {
            table.append(String.format(Locale.ROOT, "| %s | %d | %.1f ms | %.1f ms | %.1f ms |%n", timing.what(),
                    timing.millis().length, timing.percentile(50), timing.percentile(95), timing.percentile(100)));
        }
        String writing = built.writeSeconds() == 0
                ? "It was written by an earlier run and reused."
                : String.format(Locale.ROOT, "Writing it through the real services took %.0f s, and folding the records "
                        + "with checkpoints every 100,000 events %.1f s%s.", built.writeSeconds(), built.checkpointSeconds(),
                        built.now() ? "" : " (in the earlier run that wrote it; this one reused it)");
        return String.format(Locale.ROOT, """
                ### The auditor's view on a large log (`./leap bench audit`)

                Measured %s on a log of %,d events (embedded engine, %d cores): messages, turns with their model and
                tool calls, record events (creates, updates, deletes, bulk changes, imports, undos) and replies, in
                the proportions of Leap's own use.
                %s
                Each call is timed in-process as the service makes it, JSON included (HTTP adds one loopback round
                trip), after %d warm-up calls.

                | call | samples | p50 | p95 | max |
                |---|---|---|---|---|
                %s
                Target: p95 under 200 ms for the timeline and for show TURN.

                | walk of the whole log | result |
                |---|---|
                | verify the hash chain | %s in %.1f s |
                | export as JSON Lines | %,d events in %.1f s (%,.0f events/s) |
                | rebuild the records from position 0 (replay) | %,d records in %.1f s |
                """, LocalDate.now(), size, Runtime.getRuntime().availableProcessors(), writing, WARMUP, table,
                intact ? "intact" : "BROKEN", verifySeconds, exported, exportSeconds, exported / exportSeconds, records,
                rebuildSeconds);
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
