package dev.leap.tools.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Actor;
import dev.leap.tools.Provenance;
import dev.leap.tools.undo.TurnIndex;
import dev.leap.tools.undo.UndoService;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over random sequences of changes, every way of arriving at the records gives the same records:
 * kept current, rebuilt from position 0, resumed from a checkpoint, and folded as of any position.
 */
class ProjectionPropertyTest {

    @TempDir
    Path directory;

    @Test
    void rebuilt_resumed_and_as_of_states_equal_the_state_kept_current() {
        for (long seed = 1; seed <= 12; seed++) {
            check(seed);
        }
    }

    private void check(long seed) {
        Random random = new Random(seed);
        Path dataDirectory = directory.resolve("seed-" + seed);
        try (SqliteEventLog log = SqliteEventLog.openIn(dataDirectory)) {
            RecordProjection current = new RecordProjection(log);
            RecordService records = new RecordService(log, current);
            UndoService undo = new UndoService(log, current, new TurnIndex(log));
            Checkpoints checkpoints = new Checkpoints(dataDirectory.resolve("checkpoints"), 50);
            Map<Long, Map<String, RecordState>> seen = new HashMap<>();
            List<String> ids = new ArrayList<>();
            int steps = 60 + random.nextInt(60);
            for (int step = 0; step < steps; step++) {
                Provenance turn = new Provenance("t" + step, UUID.randomUUID().toString(), null, Actor.AGENT, "cli", null);
                int choice = random.nextInt(10);
                try {
                    if (ids.isEmpty() || choice < 4) {
                        ids.add(records.create(pick(random, "contacts", "notes", "tasks"), fields(random), turn).id());
                    } else if (choice < 7) {
                        Map<String, String> changes = fields(random);
                        if (random.nextBoolean()) {
                            changes.put("city", null);
                        }
                        records.update(ids.get(random.nextInt(ids.size())), changes, List.of(), turn);
                    } else if (choice < 9) {
                        records.delete(ids.get(random.nextInt(ids.size())), turn);
                    } else {
                        undo.undoLast(turn);
                    }
                } catch (RecordException e) {
                    // Changing a deleted record or undoing nothing is refused; the sequence goes on.
                }
                if (random.nextInt(8) == 0) {
                    checkpoint(log, checkpoints, current);
                }
                log.lastPosition().ifPresent(position -> seen.put(position, current.snapshot()));
            }

            assertThat(new RecordProjection(log).snapshot()).as("seed %d: rebuilt from 0", seed).isEqualTo(current.snapshot());
            assertThat(new RecordProjection(log, checkpoints).snapshot()).as("seed %d: resumed", seed)
                    .isEqualTo(current.snapshot());
            seen.forEach((position, state) -> assertThat(RecordProjection.asOf(log, checkpoints, position))
                    .as("seed %d: as of %d", seed, position).isEqualTo(state));
        }
    }

    @Test
    void a_checkpoint_that_is_not_of_this_log_is_ignored() {
        try (SqliteEventLog first = SqliteEventLog.openIn(directory.resolve("first"));
                SqliteEventLog second = SqliteEventLog.openIn(directory.resolve("second"))) {
            Checkpoints checkpoints = new Checkpoints(directory.resolve("checkpoints"), 5);
            RecordProjection projection = new RecordProjection(first, checkpoints);
            new RecordService(first, projection).create("notes", Map.of("text", "only in the first log"), Provenance.system());
            projection.checkpoint();
            new RecordService(second, new RecordProjection(second)).create("notes", Map.of("text", "the second"),
                    Provenance.system());

            assertThat(new RecordProjection(second, checkpoints).snapshot().values()).extracting(RecordState::label)
                    .containsExactly("the second");
        }
    }

    @Test
    void the_records_as_of_a_time_are_those_of_the_last_event_recorded_by_then() {
        try (SqliteEventLog log = SqliteEventLog.openIn(directory.resolve("time"))) {
            RecordProjection projection = new RecordProjection(log);
            RecordService records = new RecordService(log, projection);
            RecordState ann = records.create("contacts", Map.of("name", "Ann"), Provenance.system());
            Instant afterAnn = log.readAll(0, 1).getFirst().recordedAt();
            records.update(ann.id(), Map.of("name", "Ann Lee"), List.of(), Provenance.system());

            long then = log.lastPositionAtOrBefore(afterAnn).orElseThrow();

            assertThat(RecordProjection.asOf(log, null, then).get(ann.id()).label()).isEqualTo("Ann");
            assertThat(log.lastPositionAtOrBefore(afterAnn.minusSeconds(1))).isEmpty();
            assertThat(log.lastPositionAtOrBefore(Instant.MAX)).isEqualTo(log.lastPosition());
        }
    }

    private static void checkpoint(SqliteEventLog log, Checkpoints checkpoints, RecordProjection current) {
        List<RecordedEvent> last = log.readAll(Long.MAX_VALUE, 1, dev.leap.store.Direction.BACKWARDS);
        if (!last.isEmpty()) {
            checkpoints.save(last.getFirst().position(), last.getFirst().hash(), current.snapshot());
        }
    }

    private static Map<String, String> fields(Random random) {
        Map<String, String> fields = new HashMap<>();
        fields.put(pick(random, "name", "title", "text"), "v" + random.nextInt(1_000));
        if (random.nextBoolean()) {
            fields.put("city", pick(random, "Oslo", "Tromsø", "東京"));
        }
        return fields;
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }
}
