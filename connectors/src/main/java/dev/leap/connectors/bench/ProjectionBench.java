package dev.leap.connectors.bench;

import dev.leap.agent.bench.PerformanceReport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Actor;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.Checkpoints;
import dev.leap.tools.records.RecordProjection;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code ./leap bench projections}: how long the owner's records take to rebuild from a log of a
 * million events, to resume from a checkpoint, and to be folded as of a position in the middle.
 * The log (made once, kept in the work folder) holds 2,000 records, each created and then updated
 * 499 times, in the events Leap itself writes.
 */
public final class ProjectionBench {

    static final int RECORDS = 2_000;
    static final int EVENTS_PER_RECORD = 500;
    static final int RUNS = 3;

    private ProjectionBench() {
    }

    /** @param args {@code [--work DIR] [--report FILE]} */
    public static int run(String[] args, PrintStream out) throws Exception {
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "leap-bench");
        Path report = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--work" -> work = Path.of(args[i + 1]);
                case "--report" -> report = Path.of(args[i + 1]);
                default -> {
                    out.println("Usage: ./leap bench projections [--work DIR] [--report FILE]");
                    return 2;
                }
            }
        }
        Path directory = work.resolve("projections-1m");
        if (!Files.exists(directory.resolve(SqliteEventLog.FILE_NAME))) {
            out.println("Writing a log of " + RECORDS * EVENTS_PER_RECORD + " record events to " + directory + "...");
            write(directory);
        }
        try (SqliteEventLog log = SqliteEventLog.openIn(directory)) {
            long last = log.lastPosition().orElseThrow();
            Path checkpointDirectory = directory.resolve("checkpoints");
            Checkpoints checkpoints = new Checkpoints(checkpointDirectory, 20);

            out.println("Rebuilding from position 0...");
            double rebuild = best(() -> new RecordProjection(log).snapshot().size());
            if (checkpoints.atOrBefore(last).isEmpty()) {
                new RecordProjection(log, checkpoints).checkpoint(); // also saves one every 100,000 events
            }
            out.println("Resuming from the newest checkpoint...");
            double resume = best(() -> new RecordProjection(log, checkpoints).snapshot().size());
            long middle = last / 2 + 12_345;
            out.println("Folding the records as of position " + middle + "...");
            double asOfFromStart = best(() -> RecordProjection.asOf(log, null, middle).size());
            double asOfFromCheckpoint = best(() -> RecordProjection.asOf(log, checkpoints, middle).size());

            String markdown = String.format(Locale.ROOT, """
                    ### Projections over a million events (`./leap bench projections`)

                    Measured %s on this machine: a log of %,d record events (%,d records, each created and updated
                    %d times), embedded engine; best of %d runs.

                    | measure | result | target |
                    |---|---|---|
                    | rebuild the records from position 0 | %.2f s (%,.0f events/s) | ≤ 3 s |
                    | resume from the newest checkpoint | %.3f s | |
                    | records as of a middle position, folded from position 0 | %.2f s | |
                    | records as of a middle position, from the nearest checkpoint | %.3f s | ≤ 1 s |
                    """, LocalDate.now(), last + 1, RECORDS, EVENTS_PER_RECORD - 1, RUNS, rebuild, (last + 1) / rebuild, resume,
                    asOfFromStart, asOfFromCheckpoint);
            out.println();
            out.println(markdown);
            if (report != null) {
                PerformanceReport.update(report, "projections", markdown);
                out.println("Written to " + report);
            }
        }
        return 0;
    }

    /** The shortest of a few runs, in seconds. */
    private static double best(Runnable work) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    private static void write(Path directory) {
        try (SqliteEventLog log = SqliteEventLog.openIn(directory)) {
            for (int r = 0; r < RECORDS; r++) {
                String id = "r" + r;
                String turn = UUID.randomUUID().toString();
                String metadata = new Provenance(turn, UUID.randomUUID().toString(), "call_" + r, Actor.AGENT, "telegram", "bench")
                        .toJson();
                List<EventData> events = new ArrayList<>(EVENTS_PER_RECORD);
                ObjectNode created = Json.MAPPER.createObjectNode().put("recordId", id).put("collection", "contacts");
                created.putObject("fields").put("name", "Person " + r).put("phone", "555-" + r).put("city", "Oslo");
                events.add(new EventData(UUID.randomUUID(), "RecordCreated", created.toString(), metadata));
                for (int u = 1; u < EVENTS_PER_RECORD; u++) {
                    ObjectNode updated = Json.MAPPER.createObjectNode().put("recordId", id).put("collection", "contacts");
                    updated.putObject("set").put("phone", "555-" + r + "-" + u);
                    updated.putArray("removed");
                    updated.putObject("before").put("phone", "555-" + r + "-" + (u - 1));
                    events.add(new EventData(UUID.randomUUID(), "RecordUpdated", updated.toString(), metadata));
                }
                log.append("record-" + id, ExpectedRevision.noStream(), events);
            }
        }
    }
}
