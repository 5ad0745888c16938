package dev.leap.agent.reminders;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leap.agent.delivery.ReplyChannel;
import dev.leap.agent.inbox.MessageReceived;
import dev.leap.store.Direction;
import dev.leap.store.EventData;
import dev.leap.store.EventIds;
import dev.leap.store.EventLog;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.ReadAhead;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers reminders. A reminder is a record in the {@code reminders} collection (so it can be
 * found, changed and undone like any other), with its text, the time it is due and the chat it was
 * set from. When it falls due it is sent to that chat and {@code ReminderDelivered} is recorded; one
 * that fell due while Leap was not running is delivered once when Leap starts, marked late.
 */
public final class Reminders {

    public static final String COLLECTION = "reminders";
    public static final String DELIVERED = "ReminderDelivered";
    /** A reminder delivered more than this after its time says it is late. */
    static final Duration GRACE = Duration.ofMinutes(1);
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final int PAGE = 1_000;
    /** How far back to look for the owner's phone: the last 20,000 events. */
    private static final int MAX_PAGES_BACK = 20;

    private static final Logger LOG = LoggerFactory.getLogger(Reminders.class);

    private final EventLog log;
    private final RecordProjection records;
    private final Map<String, ReplyChannel> channels;
    private final Clock clock;
    private final Set<String> delivered = new HashSet<>();
    private long nextPosition;

    public Reminders(EventLog log, RecordProjection records, List<ReplyChannel> channels, Clock clock) {
        this.log = log;
        this.records = records;
        this.channels = channels.stream().collect(Collectors.toMap(ReplyChannel::channel, Function.identity()));
        this.clock = clock;
    }

    /** A reminder that went out. */
    public record Delivery(String reminderId, String chat, boolean late) {
    }

    /** Sends every reminder that is due and not yet delivered, oldest first. */
    public synchronized List<Delivery> deliverDue() {
        catchUp();
        Instant now = clock.instant();
        List<Delivery> sent = new ArrayList<>();
        List<RecordState> due = records.find(null, COLLECTION, Integer.MAX_VALUE).stream()
                .filter(reminder -> !delivered.contains(reminder.id()))
                .filter(reminder -> dueAt(reminder) != null && !dueAt(reminder).toInstant().isAfter(now))
                .sorted(Comparator.comparing(reminder -> dueAt(reminder).toInstant()))
                .toList();
        for (RecordState reminder : due) {
            OffsetDateTime at = dueAt(reminder);
            String chat = pushableChat(reminder.fields().getOrDefault("chat", ""));
            if (chat == null) {
                continue; // no channel can carry it now; it stays due
            }
            int colon = chat.indexOf(':');
            ReplyChannel channel = channels.get(chat.substring(0, colon));
            boolean late = Duration.between(at.toInstant(), now).compareTo(GRACE) > 0;
            String text = late
                    ? "⏰ Reminder (late: it was due " + at.format(SHOWN) + ", while Leap was not running): " + reminder.label()
                    : "⏰ Reminder: " + reminder.label();
            try {
                channel.send(chat.substring(colon + 1), text, EventIds.fromName("reminder:" + reminder.id()));
            } catch (RuntimeException e) {
                LOG.warn("reminder {} could not be delivered yet: {}", reminder.id(), e.toString());
                continue;
            }
            ObjectNode data = Json.MAPPER.createObjectNode().put("reminderId", reminder.id()).put("due", at.toString())
                    .put("chat", chat).put("deliveredAt", now.toString()).put("late", late);
            log.append("reminder-" + reminder.id(), ExpectedRevision.any(), new EventData(
                    EventIds.fromName(DELIVERED + ":" + reminder.id()), DELIVERED, data.toString(), Provenance.system().toJson()));
            delivered.add(reminder.id());
            sent.add(new Delivery(reminder.id(), chat, late));
        }
        return sent;
    }

    /**
     * Where a reminder set from {@code chat} can go: that chat if its channel can send unasked (a
     * phone), else the chat the owner last wrote from on such a channel — a reminder set from the
     * terminal reaches the owner's phone. Null if there is none.
     */
    private String pushableChat(String chat) {
        int colon = chat.indexOf(':');
        ReplyChannel origin = colon < 0 ? null : channels.get(chat.substring(0, colon));
        if (origin != null && origin.canPush()) {
            return chat;
        }
        long from = Long.MAX_VALUE;
        for (int pages = 0; pages < MAX_PAGES_BACK; pages++) {
            List<RecordedEvent> page = log.readAll(from, PAGE, Direction.BACKWARDS);
            for (RecordedEvent event : page) {
                if (MessageReceived.TYPE.equals(event.type())) {
                    var message = MessageReceived.fromEvent(event).message();
                    ReplyChannel channel = channels.get(message.channel());
                    if (channel != null && channel.canPush()) {
                        return message.channel() + ":" + message.chatId();
                    }
                }
            }
            if (page.size() < PAGE) {
                return null;
            }
            from = page.getLast().position() - 1;
        }
        return null;
    }

    /** When a reminder record is due, or null if its due field is unreadable. */
    static OffsetDateTime dueAt(RecordState reminder) {
        try {
            return OffsetDateTime.parse(reminder.fields().getOrDefault("due", ""));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** How a due time is shown to the owner. */
    public static String shown(OffsetDateTime at, ZoneId zone) {
        return at.atZoneSameInstant(zone).format(SHOWN);
    }

    private void catchUp() {
        try (ReadAhead pages = new ReadAhead(log, nextPosition)) {
            for (RecordedEvent event : pages.events()) {
                if (DELIVERED.equals(event.type())) {
                    delivered.add(Json.parse(event.data()).get("reminderId").asText());
                }
                nextPosition = event.position() + 1;
            }
        }
    }
}
