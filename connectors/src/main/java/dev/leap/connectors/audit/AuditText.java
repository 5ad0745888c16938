package dev.leap.connectors.audit;

import dev.leap.agent.turn.ModelCall;
import dev.leap.agent.turn.ToolCall;
import dev.leap.connectors.audit.HistoryPage.Entry;
import dev.leap.connectors.audit.RecordDiff.Difference;
import dev.leap.connectors.audit.TimelinePage.TurnSummary;
import dev.leap.connectors.audit.TurnAccount.Reversal;
import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;

/** The auditor's answers as text for a terminal: one fact per line, times in UTC as the log keeps them. */
final class AuditText {

    private final PrintStream out;

    AuditText(PrintStream out) {
        this.out = out;
    }

    void timeline(TimelinePage page) {
        if (page.turns().isEmpty()) {
            out.println("No turns here.");
        }
        for (TurnSummary turn : page.turns()) {
            String what = turn.kind().equals("revert")
                    ? "auditor reverts turn " + turn.reverts()
                    : turn.channel() + ": “" + nullAsEmpty(turn.message()) + "”";
            out.printf("%s  %s  %s  [%s, %d change(s)%s]%n", turn.startedAt(), turn.turnId(), what, turn.status(),
                    turn.changes(), turn.stands() ? "" : ", reverted by " + turn.revertedBy());
        }
        next("--before", page.next());
    }

    void turn(TurnAccount turn) {
        out.println("Turn " + turn.turnId() + " (" + turn.kind() + ", " + turn.status() + ")");
        out.println("  started    " + turn.startedAt() + (turn.completedAt() == null ? "" : ", ended " + turn.completedAt()));
        out.println("  actor      " + turn.actor() + " via " + turn.channel()
                + (turn.chatId() == null ? "" : ", chat " + turn.chatId()) + (turn.model() == null ? "" : ", model " + turn.model()));
        if (turn.message() != null) {
            out.println("  message    " + turn.message().id() + " at position " + turn.message().position() + ", from "
                    + turn.message().sender() + ":");
            indent("    ", turn.message().text());
            if (turn.message().quoted() != null) {
                out.println("    forwarded (read as data):");
                indent("      ", turn.message().quoted());
            }
        }
        if (turn.reverts() != null) {
            out.println("  reverts    turn " + turn.reverts());
        }
        for (int i = 0; i < turn.modelCalls().size(); i++) {
            ModelCall call = turn.modelCalls().get(i);
            out.printf("  model call %d (%d tokens in, %d out)%n", i + 1, call.inputTokens(), call.outputTokens());
            if (!call.text().isBlank()) {
                indent("    said: ", call.text());
            }
            call.requested().forEach(r -> out.println("    asked for " + r.name() + " " + r.arguments() + " (" + r.id() + ")"));
        }
        for (ToolCall call : turn.toolCalls()) {
            out.println("  tool call  " + call.name() + " (" + call.id() + ")" + (call.error() ? " — refused" : ""));
            out.println("    arguments " + call.arguments());
            indent("    result    ", call.result());
        }
        out.println("  changes    " + turn.changesTotal() + (turn.changes().isEmpty() ? "" : ":"));
        turn.changes().forEach(change -> out.printf("    %d  %s  %s  %s%s%n", change.position(), change.type(),
                change.stream(), change.summary(), change.toolCallId() == null ? "" : "  (" + change.toolCallId() + ")"));
        if (turn.nextChange() != null) {
            out.println("    more: --changes-from " + turn.nextChange());
        }
        if (turn.reply() != null) {
            out.println("  reply" + (turn.delivery() == null ? " (not delivered yet)" : " (delivered " + turn.delivery().at() + ")") + ":");
            indent("    ", turn.reply());
        }
        if (turn.problem() != null) {
            out.println("  problem    " + turn.problem());
        }
        for (Reversal reversal : turn.reversals()) {
            out.println("  reverted   " + reversal.at() + " by " + (reversal.by().isBlank() ? "Leap itself" : reversal.kind()
                    + " turn " + reversal.by()) + " (" + reversal.actor() + "), " + reversal.compensationsTotal()
                    + " compensation(s)" + (reversal.inEffect() ? "" : " — itself reverted since"));
            reversal.compensations().forEach(change -> out.printf("    %d  %s  %s%n", change.position(), change.type(),
                    change.summary()));
        }
        out.println("  stands     " + (turn.stands() ? "yes: its changes are in effect" : "no: it was reverted"));
    }

    void log(LogPage page) {
        if (page.events().isEmpty()) {
            out.println("No events here.");
        }
        for (EventBody event : page.events()) {
            out.printf("%d  %s  %s#%d  %s  %s%n", event.position(), event.recordedAt(), event.stream(), event.revision(),
                    event.type(), event.metadata());
        }
        next("--from", page.next());
    }

    void chain(ChainReport report) {
        out.println(report.verdict());
    }

    void records(RecordsPage page) {
        out.println("Records as of " + point(page.at()) + ": " + page.total());
        page.records().forEach(record -> out.println("  " + record.collection() + "/" + record.id() + "  " + fields(record.fields())));
        next("--offset", page.next() == null ? null : page.next().longValue());
    }

    void diff(RecordDiff diff) {
        out.println("From " + point(diff.from()) + " to " + point(diff.to()) + ": " + diff.total() + " record(s) differ");
        for (Difference difference : diff.differences()) {
            out.println("  " + difference.kind() + "  " + difference.collection() + "/" + difference.recordId() + "  "
                    + (difference.kind().equals("changed")
                            ? difference.changes().stream().map(c -> c.field() + ": " + show(c.before()) + " → " + show(c.after()))
                                    .collect(Collectors.joining(", "))
                            : fields(difference.fields())));
        }
        next("--offset", diff.next() == null ? null : diff.next().longValue());
    }

    void history(HistoryPage page) {
        out.println("Record " + page.recordId() + (page.collection() == null ? "" : " in " + page.collection())
                + (page.deleted() ? " (deleted)" : ""));
        for (Entry entry : page.entries()) {
            out.printf("  %s  #%d  %s%n", entry.recordedAt(), entry.revision(), entry.summary());
            HistoryPage.Cause cause = entry.cause();
            String why = switch (cause.kind()) {
                case "message" -> "turn " + cause.turnId() + ", from the " + cause.channel() + " message “"
                        + nullAsEmpty(TurnAccounts.oneLine(cause.message())) + "”";
                case "revert" -> "turn " + cause.turnId() + ", the auditor reverting turn " + cause.reverts();
                default -> "by Leap itself (" + cause.actor() + ")";
            };
            out.println("      " + why + (cause.stands() ? "" : " — reverted since"));
        }
        next("--from", page.next());
    }

    private void next(String option, Long next) {
        if (next != null) {
            out.println("more: " + option + " " + next);
        }
    }

    private void indent(String prefix, String text) {
        String pad = " ".repeat(prefix.length());
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            out.println(lines[i].isEmpty() && i > 0 ? "" : (i == 0 ? prefix : pad) + lines[i]);
        }
    }

    private static String point(RecordsPage.Point point) {
        return point.position() < 0 ? "the beginning (before the first event)"
                : "position " + point.position() + " (" + point.recordedAt() + ")";
    }

    private static String fields(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String show(String value) {
        return value == null ? "(none)" : value;
    }

    private static String nullAsEmpty(String text) {
        return text == null ? "" : text;
    }
}
