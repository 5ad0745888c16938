package dev.leap.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.EventData;
import dev.leap.store.HashChain;
import dev.leap.store.LogVerification;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.KilledWriter.Kill;
import dev.leap.store.embedded.KilledWriter.Outcome;
import dev.leap.store.embedded.KilledWriter.Reported;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer in another JVM appends in a loop and is killed with SIGKILL at a random moment, round
 * after round on the same file. After every kill the log must open with its chain intact, hold
 * every append the writer reported as returned at the positions it reported, hold all or none of
 * the append that was in flight, and give back every event exactly as it was written.
 *
 * <p>Every failure names the master seed; {@code -Dleap.crash.seed=N} replays the same rounds,
 * though where exactly a kill lands is up to the machine.
 */
class CrashSafetyTest {

    static final int ROUNDS = 30;

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void every_append_that_returned_survives_a_kill_at_a_random_moment_and_no_event_is_torn() throws Exception {
        long masterSeed = Long.getLong("leap.crash.seed", System.nanoTime());
        System.out.println("Crash test master seed: " + masterSeed);
        SplittableRandom random = new SplittableRandom(masterSeed);
        Path file = directory.resolve(SqliteEventLog.FILE_NAME);
        Head before = new Head(0, HashChain.GENESIS);
        int reportedAppends = 0;
        int unreportedButKept = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long seed = random.nextLong();
            Kill kill = random.nextBoolean()
                    ? Kill.afterAppends(random.nextInt(0, 25))
                    : Kill.afterMillis(random.nextInt(0, 1_200));
            String context = "round %d of %d, writer seed %d, killed %s (replay with -Dleap.crash.seed=%d)"
                    .formatted(round, ROUNDS, seed, kill, masterSeed);

            Outcome outcome = KilledWriter.run(file, seed, kill, directory.resolve("round-" + round));

            assertThat(outcome.exitCode()).as("%s: the writer must die of SIGKILL; its errors: %s", context,
                    outcome.errors()).isEqualTo(KilledWriter.KILLED_BY_SIGKILL);
            try (SqliteEventLog log = SqliteEventLog.open(file, Clock.systemUTC())) {
                LogVerification verification = LogVerification.of(log);
                assertThat(verification.intact()).as("%s: %s", context, verification.summary()).isTrue();
                assertUnchangedBefore(log, before, context);
                List<RecordedEvent> written = readFrom(log, before.events());
                assertThat(verification.eventsVerified()).as("%s: every event is in the chain", context)
                        .isEqualTo(before.events() + written.size());
                unreportedButKept += checkRound(written, before.events(), new AppendPlan(seed), outcome.reported(),
                        context);
                reportedAppends += outcome.reported().size();
                before = new Head(verification.eventsVerified(), verification.lastVerifiedHash());
            }
        }
        System.out.printf("%d rounds: %d appends reported, %d events in the log, %d appends in flight at the kill "
                + "were committed before it%n", ROUNDS, reportedAppends, before.events(), unreportedButKept);
    }

    /** The log before a round: how many events, and the newest one's hash. */
    private record Head(long events, String hash) {
    }

    /**
     * The events that were in the log before the round are still there, unchanged: the intact
     * chain still passes through the hash the newest of them had, and that hash covers them all.
     */
    private static void assertUnchangedBefore(SqliteEventLog log, Head before, String context) {
        if (before.events() > 0) {
            assertThat(log.readAll(before.events() - 1, 1)).extracting(RecordedEvent::hash)
                    .as("%s: the events before the round are unchanged", context).containsExactly(before.hash());
        }
    }

    /**
     * Checks the events one round added and returns 1 if the append in flight at the kill was
     * committed, 0 if it was not.
     */
    private static int checkRound(List<RecordedEvent> written, long firstPosition, AppendPlan plan,
            List<Reported> reported, String context) {
        for (int i = 0; i < written.size(); i++) {
            assertThat(written.get(i).position()).as("%s: positions have no gaps", context).isEqualTo(firstPosition + i);
        }
        int offset = 0;
        for (int index = 0; index < reported.size(); index++) {
            Reported append = reported.get(index);
            AppendPlan.Append planned = plan.append(index);
            int count = planned.events().size();
            String what = context + ": append " + index + ", reported as returned";
            assertThat(append.index()).as(what).isEqualTo(index);
            assertThat(append.firstPosition()).as("%s, first position", what).isEqualTo(firstPosition + offset);
            assertThat(append.lastPosition()).as("%s, last position", what).isEqualTo(firstPosition + offset + count - 1);
            assertThat(written.size()).as("%s, is in the log", what).isGreaterThanOrEqualTo(offset + count);
            assertWhole(written.subList(offset, offset + count), planned, what);
            offset += count;
        }
        AppendPlan.Append inFlight = plan.append(reported.size());
        int rest = written.size() - offset;
        assertThat(rest).as("%s: after the reported appends comes all of the append in flight (%d events) or none",
                context, inFlight.events().size()).isIn(0, inFlight.events().size());
        if (rest == 0) {
            return 0;
        }
        assertWhole(written.subList(offset, written.size()), inFlight, context + ": the append in flight");
        return 1;
    }

    private static void assertWhole(List<RecordedEvent> recorded, AppendPlan.Append planned, String what) {
        for (int i = 0; i < recorded.size(); i++) {
            RecordedEvent event = recorded.get(i);
            EventData expected = planned.events().get(i);
            assertThat(event.id()).as("%s, event %d id", what, i).isEqualTo(expected.id());
            assertThat(event.stream()).as("%s, event %d stream", what, i).isEqualTo(planned.stream());
            assertThat(event.type()).as("%s, event %d type", what, i).isEqualTo(expected.type());
            assertThat(event.metadata()).as("%s, event %d metadata", what, i).isEqualTo(expected.metadata());
            // Not isEqualTo: a failure would print megabytes of payload.
            assertThat(event.data().equals(expected.data())).as("%s, event %d data reads back whole (%d of %d chars)",
                    what, i, event.data().length(), expected.data().length()).isTrue();
        }
    }

    private static List<RecordedEvent> readFrom(SqliteEventLog log, long position) {
        List<RecordedEvent> events = new ArrayList<>();
        for (List<RecordedEvent> page = log.readAll(position, 1_000); ; page = log.readAll(position + events.size(), 1_000)) {
            events.addAll(page);
            if (page.size() < 1_000) {
                return events;
            }
        }
    }
}
