package dev.leap.tools.actions;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordChanges;
import dev.leap.tools.undo.UndoService;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The undo tool: the last change, one turn, or everything since a time. */
public record UndoTool(UndoService undo, ZoneId zone) implements AgentTool {

    @Override
    public ToolSpecification specification() {
        return ToolSpecification.builder()
                .name("undo")
                .description("Undo changes. With no arguments it undoes the owner's last change. "
                        + "Give 'turn' to undo one earlier change (its id from history), or 'since' to undo everything since a time.")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("turn", "The id of the change to undo, as history shows it")
                        .addStringProperty("since", "Undo everything since this time, e.g. 2026-11-23 09:00")
                        .build())
                .build();
    }

    /** The owner's words that authorise taking changes back (a few languages). */
    static final Pattern UNDO_WORDS = Pattern.compile(
            "(?iu)\\b(undo|revert|roll ?back|take (it|that|this) back|put (it|that|this) back|restore)|annul|rückgängig|deshac|annulla|отмен|元に戻");

    @Override
    public Optional<Pattern> authorisedBy() {
        return Optional.of(UNDO_WORDS);
    }

    @Override
    public String execute(ToolArguments arguments, Provenance provenance) {
        String turn = arguments.optionalText("turn");
        String since = arguments.optionalText("since");
        UndoService.Undone undone;
        if (turn != null && !turn.isBlank()) {
            undone = undo.undoTurn(turn, provenance);
        } else if (since != null && !since.isBlank()) {
            undone = undo.undoSince(instant(since), provenance);
        } else {
            undone = undo.undoLast(provenance);
        }
        return "Undid " + undone.turns().size() + " change(s): "
                + undone.compensations().stream()
                        .map(change -> RecordChanges.describe(change, change.recordId()))
                        .collect(Collectors.joining(" "));
    }

    private Instant instant(String text) {
        String normal = text.strip().replace(' ', 'T');
        try {
            return LocalDateTime.parse(normal).atZone(zone).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(normal).atStartOfDay(zone).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new ToolInputException("'since' must be a date or a date and time such as 2026-11-23 09:00, not '" + text + "'");
            }
        }
    }
}
