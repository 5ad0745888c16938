package dev.leap.agent.reminders;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.leap.agent.turn.TurnEvent;
import dev.leap.agent.turn.TurnEventCodec;
import dev.leap.store.ReadStream;
import dev.leap.tools.Provenance;
import dev.leap.tools.actions.AgentTool;
import dev.leap.tools.actions.ToolArguments;
import dev.leap.tools.actions.ToolInputException;
import dev.leap.tools.records.RecordService;
import dev.leap.tools.records.RecordState;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schedule_reminder tool: a reminder record, due at a time the model gives in the forms small
 * models manage ("2026-11-24 09:00", "09:00", "tomorrow 09:00", "in 20 minutes"), sent back to the
 * chat the owner asked from.
 */
public record ScheduleReminder(RecordService records, ReadStream log, Clock clock) implements AgentTool {

    private static final Pattern RELATIVE = Pattern.compile("(?i)in\\s+(\\d+)\\s*(minute|min|hour|h|day)s?");
    private static final Pattern TOMORROW = Pattern.compile("(?i)tomorrow(?:\\s+at)?\\s+(.+)");

    @Override
    public ToolSpecification specification() {
        return ToolSpecification.builder()
                .name("schedule_reminder")
                .description("Remind the owner of something at a time: Leap sends the reminder to this chat then.")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("text", "What to remind the owner of, e.g. call mum")
                        .addStringProperty("at", "When, e.g. 2026-11-24 09:00, or 09:00, or tomorrow 09:00, or in 20 minutes")
                        .required("text", "at")
                        .build())
                .build();
    }

    @Override
    public String execute(ToolArguments arguments, Provenance provenance) {
        String text = arguments.requiredText("text");
        OffsetDateTime due = when(arguments.requiredText("at"));
        if (!due.toInstant().isAfter(clock.instant())) {
            throw new ToolInputException("'at' is in the past (" + Reminders.shown(due, clock.getZone()) + "); give a future time");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("text", text);
        fields.put("due", due.toString());
        fields.put("chat", chatOf(provenance));
        RecordState reminder = records.create(Reminders.COLLECTION, fields, provenance);
        return "Reminder " + reminder.id() + " set for " + Reminders.shown(due, clock.getZone()) + ": " + text;
    }

    /** The chat the turn came from, where the reminder will be sent. */
    private String chatOf(Provenance provenance) {
        if (provenance.turnId() == null) {
            throw new IllegalStateException("a reminder is set within a turn");
        }
        return log.readStream(TurnEvent.stream(UUID.fromString(provenance.turnId()))).stream()
                .flatMap(event -> TurnEventCodec.decode(event).stream())
                .filter(TurnEvent.TurnStarted.class::isInstance).map(TurnEvent.TurnStarted.class::cast)
                .findFirst()
                .map(started -> started.channel() + ":" + started.chatId())
                .orElseThrow(() -> new IllegalStateException("turn " + provenance.turnId() + " has not started"));
    }

    OffsetDateTime when(String at) {
        String text = at.strip().toLowerCase(Locale.ROOT);
        ZonedDateTime now = ZonedDateTime.now(clock);
        Matcher relative = RELATIVE.matcher(text);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration step = switch (relative.group(2)) {
                case "minute", "min" -> Duration.ofMinutes(amount);
                case "hour", "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return now.plus(step).toOffsetDateTime();
        }
        Matcher tomorrow = TOMORROW.matcher(text);
        if (tomorrow.matches()) {
            return time(tomorrow.group(1)).atDate(LocalDate.now(clock).plusDays(1)).atZone(clock.getZone()).toOffsetDateTime();
        }
        try {
            return OffsetDateTime.parse(text.replace(' ', 'T').toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException notOffset) {
            // Fall through to the local forms.
        }
        try {
            return LocalDateTime.parse(text.replace(' ', 'T')).atZone(clock.getZone()).toOffsetDateTime();
        } catch (DateTimeParseException notDateTime) {
            LocalTime time = time(text);
            ZonedDateTime today = time.atDate(LocalDate.now(clock)).atZone(clock.getZone());
            return (today.isAfter(now) ? today : today.plusDays(1)).toOffsetDateTime();
        }
    }

    private static LocalTime time(String text) {
        try {
            return LocalTime.parse(text.length() == 4 && text.charAt(1) == ':' ? "0" + text : text);
        } catch (DateTimeParseException e) {
            throw new ToolInputException("'at' must look like 2026-11-24 09:00, 09:00, tomorrow 09:00 or in 20 minutes, not '"
                    + text + "'");
        }
    }
}
