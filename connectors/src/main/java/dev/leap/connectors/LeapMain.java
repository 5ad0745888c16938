package dev.leap.connectors;

import dev.leap.agent.bench.InferenceBench;
import dev.leap.agent.bench.PerformanceReport;
import dev.leap.connectors.audit.AuditBench;
import dev.leap.connectors.audit.AuditCommand;
import dev.leap.connectors.bench.ProjectionBench;
import dev.leap.connectors.cli.ChatClient;
import dev.leap.connectors.cli.ModelCommand;
import dev.leap.connectors.service.Startup;
import dev.leap.store.embedded.bench.StoreBench;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.Arrays;

/**
 * The service's entry point. {@code chat} (the terminal client), {@code audit} (the auditor's
 * view), {@code model} (installing models) and {@code bench} run without the service; anything
 * else starts the service.
 */
@QuarkusMain
public final class LeapMain {

    private LeapMain() {
    }

    public static void main(String... args) throws Exception {
        if (args.length > 0 && args[0].equals("chat")) {
            System.exit(ChatClient.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        if (args.length > 1 && args[0].equals("bench") && args[1].equals("inference")) {
            System.exit(InferenceBench.run(Arrays.copyOfRange(args, 2, args.length), System.out));
        }
        if (args.length > 0 && args[0].equals("audit")) {
            System.exit(AuditCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        if (args.length > 1 && args[0].equals("bench") && args[1].equals("audit")) {
            System.exit(AuditBench.run(Arrays.copyOfRange(args, 2, args.length), System.out));
        }
        if (args.length > 1 && args[0].equals("bench") && args[1].equals("projections")) {
            System.exit(ProjectionBench.run(Arrays.copyOfRange(args, 2, args.length), System.out));
        }
        if (args.length > 1 && args[0].equals("bench") && args[1].equals("store")) {
            System.exit(StoreBench.run(Arrays.copyOfRange(args, 2, args.length), System.out,
                    (report, markdown) -> PerformanceReport.update(report, "store", markdown)));
        }
        if (args.length > 0 && args[0].equals("model")) {
            System.exit(ModelCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        Quarkus.run(Service.class, args);
    }

    /** The running service: serves until told to stop, or stops at once if Leap could not start. */
    public static final class Service implements QuarkusApplication {

        @Inject
        Startup startup;

        @Override
        public int run(String... args) {
            if (startup.failure().isPresent()) {
                System.err.println();
                System.err.println(startup.failure().get().getMessage());
                return 2;
            }
            Quarkus.waitForExit();
            return 0;
        }
    }
}
