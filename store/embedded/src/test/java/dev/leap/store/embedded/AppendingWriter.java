package dev.leap.store.embedded;

import dev.leap.store.AppendResult;
import dev.leap.store.ExpectedRevision;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The process the crash test kills: appends its plan to the log until it is killed, and prints
 * each append only after the call returned, so a printed line is a promise that the append is
 * durable. Each line is {@code <append index> <first position> <last position> returned}; the last
 * word shows that the line arrived whole.
 */
final class AppendingWriter {

    private AppendingWriter() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        AppendPlan plan = new AppendPlan(Long.parseLong(args[1]));
        haltWhenTheTestGoesAway();
        try (SqliteEventLog log = SqliteEventLog.open(file, Clock.systemUTC())) {
            for (int index = 0; ; index++) {
                AppendPlan.Append append = plan.append(index);
                AppendResult result = log.append(append.stream(), ExpectedRevision.any(), append.events());
                System.out.println(index + " " + result.firstPosition() + " " + result.lastPosition() + " returned");
                System.out.flush();
            }
        }
    }

    /** The test holds this process's standard input open; if the test's JVM dies, stop writing. */
    private static void haltWhenTheTestGoesAway() {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is ever sent: the test only keeps the pipe open
                }
            } catch (IOException e) {
                // a broken pipe means the same as its end
            }
            Runtime.getRuntime().halt(3);
        });
    }
}
