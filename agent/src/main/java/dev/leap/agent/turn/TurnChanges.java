package dev.leap.agent.turn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.agent.reminders.Reminders;
import dev.leap.store.ReadAll;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import dev.leap.tools.files.ExportService;
import dev.leap.tools.records.RecordChanges;
import dev.leap.tools.records.RecordEvent;
import dev.leap.tools.records.RecordEventCodec;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordState;
import dev.leap.tools.undo.TurnReverted;
import dev.leap.tools.undo.UndoService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The changes a turn committed, read back from the log, each with the sentence that tells the
 * owner about it. This, not the model's account, is what a reply states as done.
 */
final class TurnChanges {

    private static final int PAGE = 500;
    /** Up to this many changes are told one by one. */
    static final int ONE_BY_ONE = 8;

    private final ReadAll log;
    private final RecordProjection records;

    TurnChanges(ReadAll log, RecordProjection records) {
        this.log = log;
        this.records = records;
    }

    /** A change as the owner is told it. */
    record Change(RecordedEvent event, Claims.Kind kind, String sentence) {
    }

    /** The changes naming {@code turnId} appended after position {@code startedAt}, in order. */
    List<Change> of(UUID turnId, long startedAt) {
        String id = turnId.toString();
        List<Change> changes = new ArrayList<>();
        long next = startedAt + 1;
        while (true) {
            List<RecordedEvent> page = log.readAll(next, PAGE);
            for (RecordedEvent event : page) {
                Optional<Change> change = describe(event);
                if (change.isPresent() && id.equals(Provenance.fromJson(event.metadata()).turnId())) {
                    changes.add(change.get());
                }
            }
            if (page.size() < PAGE) {
                return changes;
            }
            next = page.getLast().position() + 1;
        }
    }

    private Optional<Change> describe(RecordedEvent event) {
        switch (event.type()) {
            case TurnReverted.TYPE -> {
                JsonNode data = Json.parse(event.data());
                return Optional.of(new Change(event, Claims.Kind.UNDONE, "Undid change " + UndoService.shortId(
                        data.get("turnId").asText()) + " (" + data.path("reversed").size() + " event(s) reversed)."));
            }
            case ExportService.EXPORTED -> {
                JsonNode data = Json.parse(event.data());
                return Optional.of(new Change(event, Claims.Kind.EXPORTED, "Exported %d record(s) of %s to %s.".formatted(
                        data.get("count").asInt(), data.get("collection").asText(), data.get("file").asText())));
            }
            default -> {
                return RecordEventCodec.decode(event).map(change -> {
                    if (change instanceof RecordEvent.RecordCreated created && created.collection().equals(Reminders.COLLECTION)) {
                        return new Change(event, Claims.Kind.SCHEDULED, "Reminder set for %s: “%s”.".formatted(
                                created.fields().getOrDefault("due", "?"), created.fields().getOrDefault("text", "")));
                    }
                    String label = records.get(change.recordId()).map(RecordState::label).orElse(change.recordId());
                    return new Change(event, kindOf(change), RecordChanges.describe(change, label));
                });
            }
        }
    }

    /**
     * The changes in sentences: one each, or, when there are many (an import, a bulk edit), one per
     * kind of change and collection with a count.
     */
    static List<String> sentences(List<Change> changes) {
        if (changes.size() <= ONE_BY_ONE) {
            return changes.stream().map(Change::sentence).toList();
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Change change : changes) {
            String collection = RecordEventCodec.decode(change.event()).map(RecordEvent::collection).orElse("");
            String key = switch (change.kind()) {
                case ADDED -> "Added %d record(s) to " + collection + ".";
                case CHANGED -> "Updated %d record(s) in " + collection + ".";
                case DELETED -> "Deleted %d record(s) from " + collection + ".";
                default -> change.sentence();
            };
            counts.merge(key, 1, Integer::sum);
        }
        return counts.entrySet().stream().map(e -> e.getKey().contains("%d") ? e.getKey().formatted(e.getValue()) : e.getKey())
                .toList();
    }

    private static Claims.Kind kindOf(RecordEvent change) {
        return switch (change) {
            case RecordEvent.RecordCreated created -> Claims.Kind.ADDED;
            case RecordEvent.RecordUpdated updated -> Claims.Kind.CHANGED;
            case RecordEvent.RecordDeleted deleted -> Claims.Kind.DELETED;
            case RecordEvent.RecordRestored restored -> Claims.Kind.ADDED;
        };
    }
}
