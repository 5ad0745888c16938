package dev.leap.connectors.audit;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.leap.connectors.service.DataDirectory;
import dev.leap.connectors.service.Tokens;
import dev.leap.store.Direction;
import dev.leap.store.EventLog;
import dev.leap.store.EventLogException;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.store.kurrentdb.KurrentEventLog;
import dev.leap.tools.records.Checkpoints;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.undo.TurnIndex;
import dev.leap.tools.undo.UndoService;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code ./leap audit}: the auditor's view in a terminal. It asks a running service over HTTP with
 * the auditor's token, or reads the log itself — a data directory's file (safe beside a running
 * service) or a KurrentDB — and prints the answers as text, or as the API's JSON with {@code --json}.
 */
public final class AuditCommand {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** {@code verify} found a link that does not hold: distinct, so that scripts can tell. */
    static final int CHAIN_BROKEN = 3;

    static final String HELP = """
            Usage: ./leap audit COMMAND [ARGUMENTS] [--url URL | --data-dir DIR | --kurrentdb CONNECTION] [--json]

              turns [--before POSITION] [--limit N]
                        turns, newest first
              show TURN [--changes-from N] [--limit N]
                        the account of one turn: its message, each model call, each tool call with its
                        arguments and result, the events it appended, the reply, and its reverts
              log [--type TYPE] [--stream STREAM] [--turn TURN] [--since TIME] [--until TIME]
                  [--from POSITION] [--oldest-first] [--limit N]
                        events of the log, newest first, filtered
              verify    walk the hash chain and name the first event that does not link
              as-of TIME|POSITION [--collection NAME] [--offset N] [--limit N]
                        the records as they stood then
              diff FROM TO [--offset N] [--limit N]
                        what changed in the records between two times or positions
              history RECORD [--from REVISION] [--limit N]
                        every event of one record, with the turn and the message behind it
              export [--out FILE] [--from POSITION] [--to POSITION]
                        the log as JSON Lines (docs/export-format.md), to the file or to stdout
              revert TURN
                        revert a turn with compensating events, as the auditor; the revert is a turn
                        of its own, which can be reverted in its turn

            TURN is a turn's id, or the start of the id of one that changed something. TIME is
            2025-03-01T09:30:00Z, a local 2025-03-01 09:30 (in LEAP_TIMEZONE, else this machine's zone)
            or a date; POSITION is a number.

            Where the log is read:
              (default)           the running service at LEAP_URL (else http://127.0.0.1:5327), with the
                                  auditor token from LEAP_HTTP_AUDITOR_TOKEN or $LEAP_DATA_DIR/auditor-token
              --url URL           a running service at URL, with that token
              --data-dir DIR      the log in DIR/events.db, opened directly; safe beside a running service
              --kurrentdb CONN    a KurrentDB, e.g. kurrentdb://localhost:2113?tls=false

            Exit status: 0 done, 1 failed, 2 usage, 3 verify found the chain broken.
            """;

    private static final Set<String> VALUED = Set.of("--url", "--data-dir", "--kurrentdb", "--before", "--limit",
            "--changes-from", "--type", "--stream", "--turn", "--since", "--until", "--from", "--to", "--collection",
            "--offset", "--out");
    private static final Set<String> FLAGS = Set.of("--json", "--oldest-first", "--help");
    private static final Set<String> COMMANDS = Set.of("turns", "show", "log", "verify", "as-of", "diff", "history",
            "export", "revert");

    private final Arguments arguments;
    private final ZoneId zone;
    private final PrintStream out;

    private AuditCommand(Arguments arguments, ZoneId zone, PrintStream out) {
        this.arguments = arguments;
        this.zone = zone;
        this.out = out;
    }

    /** Runs one command; returns the process exit status. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Arguments arguments;
        ZoneId zone;
        try {
            arguments = Arguments.parse(args);
            zone = zone(env);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(HELP);
            return USAGE;
        }
        if (arguments.flags().contains("--help") || arguments.command() == null) {
            (arguments.command() == null && !arguments.flags().contains("--help") ? err : out).print(HELP);
            return arguments.flags().contains("--help") ? OK : USAGE;
        }
        if (!COMMANDS.contains(arguments.command())) {
            err.println("unknown audit command '" + arguments.command() + "'; ./leap audit --help lists them");
            return USAGE;
        }
        try (Source source = Source.open(arguments, env)) {
            return new AuditCommand(arguments, zone, out).run(source.audit());
        } catch (Usage e) {
            err.println(e.getMessage());
            return USAGE;
        } catch (AuditException | HttpAudit.Failure | EventLogException | IllegalArgumentException | UncheckedIOException e) {
            err.println("leap audit: " + e.getMessage());
            return FAILED;
        }
    }

    private int run(Audit audit) {
        AuditText text = new AuditText(out);
        switch (arguments.command()) {
            case "turns" -> {
                TimelinePage page = audit.timeline(arguments.number("--before", Long.MAX_VALUE),
                        (int) arguments.number("--limit", 20));
                print(page, () -> text.timeline(page));
            }
            case "show" -> {
                TurnAccount turn = audit.turn(arguments.one("TURN"), (int) arguments.number("--changes-from", 0),
                        (int) arguments.number("--limit", 100));
                print(turn, () -> text.turn(turn));
            }
            case "log" -> {
                LogPage page = audit.log(query(audit));
                print(page, () -> text.log(page));
            }
            case "verify" -> {
                arguments.none();
                ChainReport report = audit.verify();
                print(report, () -> text.chain(report));
                return report.intact() ? OK : CHAIN_BROKEN;
            }
            case "as-of" -> {
                RecordsPage page = audit.records(PointInLog.parse(arguments.one("TIME|POSITION"), zone),
                        arguments.value("--collection"), (int) arguments.number("--offset", 0),
                        (int) arguments.number("--limit", 100));
                print(page, () -> text.records(page));
            }
            case "diff" -> {
                List<String> points = arguments.two("FROM", "TO");
                RecordDiff diff = audit.diff(PointInLog.parse(points.get(0), zone), PointInLog.parse(points.get(1), zone),
                        (int) arguments.number("--offset", 0), (int) arguments.number("--limit", 100));
                print(diff, () -> text.diff(diff));
            }
            case "history" -> {
                HistoryPage page = audit.history(arguments.one("RECORD"), arguments.number("--from", 0),
                        (int) arguments.number("--limit", 100));
                print(page, () -> text.history(page));
            }
            case "export" -> export(audit);
            case "revert" -> {
                TurnAccount revert = audit.revert(arguments.one("TURN"));
                print(revert, () -> text.turn(revert));
            }
            default -> throw new IllegalStateException("COMMANDS names '" + arguments.command() + "' but nothing runs it");
        }
        return OK;
    }

    private LogQuery query(Audit audit) {
        arguments.none();
        boolean oldestFirst = arguments.flags().contains("--oldest-first");
        Direction direction = oldestFirst ? Direction.FORWARDS : Direction.BACKWARDS;
        String turn = arguments.value("--turn");
        UUID turnId = turn == null ? null : TurnIds.parse(turn) != null ? TurnIds.parse(turn)
                : UUID.fromString(audit.turn(turn, 0, 1).turnId());
        return new LogQuery(arguments.number("--from", oldestFirst ? 0 : Long.MAX_VALUE), direction,
                (int) arguments.number("--limit", 50), arguments.value("--type"), arguments.value("--stream"), turnId,
                AuditResources.time("--since", arguments.value("--since"), zone),
                AuditResources.time("--until", arguments.value("--until"), zone));
    }

    private void export(Audit audit) {
        arguments.none();
        long from = arguments.number("--from", 0);
        long to = arguments.number("--to", Long.MAX_VALUE);
        String file = arguments.value("--out");
        if (file == null) {
            audit.export(from, to, out);
            out.flush();
            return;
        }
        Path path = Path.of(file);
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(path))) {
            long written = audit.export(from, to, stream);
            out.println("Exported " + written + " events to " + path.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private void print(Object answer, Runnable asText) {
        if (!arguments.flags().contains("--json")) {
            asText.run();
            return;
        }
        try {
            out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(answer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ZoneId zone(Map<String, String> env) {
        String configured = env.get("LEAP_TIMEZONE");
        if (configured == null || configured.isBlank()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(configured.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("LEAP_TIMEZONE is a time zone such as Europe/Oslo, not '" + configured + "'");
        }
    }

    /** The command line was not one this command takes. */
    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }

    /** The command, its plain arguments, its options with values, and its flags. */
    record Arguments(String command, List<String> positional, Map<String, String> options, Set<String> flags) {

        static Arguments parse(String[] args) {
            String command = null;
            List<String> positional = new ArrayList<>();
            Map<String, String> options = new HashMap<>();
            Set<String> flags = new HashSet<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (VALUED.contains(arg)) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    options.put(arg, args[++i]);
                } else if (FLAGS.contains(arg)) {
                    flags.add(arg);
                } else if (arg.startsWith("--")) {
                    throw new IllegalArgumentException("unknown option " + arg);
                } else if (command == null) {
                    command = arg;
                } else {
                    positional.add(arg);
                }
            }
            return new Arguments(command, positional, options, flags);
        }

        String value(String option) {
            return options.get(option);
        }

        long number(String option, long otherwise) {
            String value = options.get(option);
            if (value == null) {
                return otherwise;
            }
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new Usage(option + " takes a whole number, not '" + value + "'");
            }
        }

        String one(String what) {
            if (positional.size() != 1) {
                throw new Usage("./leap audit " + command + " takes one " + what);
            }
            return positional.getFirst();
        }

        List<String> two(String first, String second) {
            if (positional.size() != 2) {
                throw new Usage("./leap audit " + command + " takes " + first + " and " + second);
            }
            return positional;
        }

        void none() {
            if (!positional.isEmpty()) {
                throw new Usage("./leap audit " + command + " takes no " + positional.getFirst());
            }
        }
    }

    /** Where the answers come from, and what to close afterwards. */
    private record Source(Audit audit, EventLog log) implements AutoCloseable {

        static Source open(Arguments arguments, Map<String, String> env) {
            String dataDir = arguments.value("--data-dir");
            String kurrentdb = arguments.value("--kurrentdb");
            String url = arguments.value("--url");
            if ((dataDir != null ? 1 : 0) + (kurrentdb != null ? 1 : 0) + (url != null ? 1 : 0) > 1) {
                throw new Usage("read from one place: --url, --data-dir or --kurrentdb");
            }
            if (dataDir != null) {
                Path directory = Path.of(dataDir);
                if (!Files.isRegularFile(directory.resolve(SqliteEventLog.FILE_NAME))) {
                    throw new Usage("there is no log in " + directory.toAbsolutePath() + " (no " + SqliteEventLog.FILE_NAME + ")");
                }
                EventLog log = SqliteEventLog.openIn(directory);
                return new Source(local(log, new Checkpoints(directory.resolve("projections"), 20)), log);
            }
            if (kurrentdb != null) {
                EventLog log = KurrentEventLog.connect(kurrentdb);
                return new Source(local(log, null), log);
            }
            return new Source(remote(url, env), null);
        }

        /**
         * The log read directly. The undo index and the projection a revert needs fold the whole log,
         * so they are built only for a revert or a short turn id; the projection keeps no checkpoints,
         * since the service's own are not this process's to write.
         */
        private static Audit local(EventLog log, Checkpoints checkpoints) {
            Supplier<TurnIndex> turns = new Once<>(() -> new TurnIndex(log));
            Supplier<UndoService> undo = new Once<>(() -> new UndoService(log, new RecordProjection(log), turns.get()));
            return new LogAudit(log, checkpoints, turns, undo);
        }

        private static Audit remote(String url, Map<String, String> env) {
            URI base = URI.create(url != null ? url
                    : env.getOrDefault("LEAP_URL", "http://127.0.0.1:" + env.getOrDefault("QUARKUS_HTTP_PORT", "5327")));
            String token = env.get("LEAP_HTTP_AUDITOR_TOKEN");
            if (token != null && !token.isBlank()) {
                return new HttpAudit(base, token.strip(), "from LEAP_HTTP_AUDITOR_TOKEN");
            }
            Path file = DataDirectory.of(env).resolve(Tokens.AUDITOR_FILE);
            try {
                return new HttpAudit(base, Files.readString(file).strip(), "from " + file);
            } catch (IOException e) {
                throw new Usage("No auditor token: " + file + " is missing. Start Leap once (./leap) to create it, set "
                        + "LEAP_HTTP_AUDITOR_TOKEN, or read the log directly with --data-dir.");
            }
        }

        @Override
        public void close() {
            if (log != null) {
                log.close();
            }
        }
    }

    /** Makes its value the first time it is asked for, then keeps it. */
    private static final class Once<T> implements Supplier<T> {
        private final Supplier<T> make;
        private T value;

        Once(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = make.get();
            }
            return value;
        }
    }
}
