package dev.leap.tools.records;

import dev.leap.tools.records.RecordEvent.RecordCreated;
import dev.leap.tools.records.RecordEvent.RecordDeleted;
import dev.leap.tools.records.RecordEvent.RecordRestored;
import dev.leap.tools.records.RecordEvent.RecordUpdated;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plain-language sentences for record events. Replies to the owner state what changed from these,
 * built from the events actually in the log, never from what the model says it did.
 */
public final class RecordChanges {

    private static final int MAX_SHOWN = 60;

    private RecordChanges() {
    }

    /**
     * One sentence for one event.
     *
     * @param label the record's human name (see {@link RecordState#label()}), used for updates,
     *              whose event holds only the fields that changed
     */
    public static String describe(RecordEvent event, String label) {
        return switch (event) {
            case RecordCreated created -> "Added %s to %s (%s).".formatted(
                    quote(RecordState.labelOf(created.recordId(), created.fields())),
                    created.collection(), fields(created.fields()));
            case RecordUpdated updated -> {
                List<String> parts = new ArrayList<>();
                updated.set().forEach((field, value) -> parts.add(field + " → " + shorten(value)));
                updated.removed().forEach(field -> parts.add(field + " removed"));
                yield "Updated %s in %s: %s.".formatted(quote(label), updated.collection(), String.join(", ", parts));
            }
            case RecordDeleted deleted -> "Deleted %s from %s.".formatted(
                    quote(RecordState.labelOf(deleted.recordId(), deleted.fields())),
                    deleted.collection());
            case RecordRestored restored -> "Restored %s to %s (%s).".formatted(
                    quote(RecordState.labelOf(restored.recordId(), restored.fields())),
                    restored.collection(), fields(restored.fields()));
        };
    }

    private static String fields(Map<String, String> fields) {
        List<String> parts = new ArrayList<>();
        fields.forEach((field, value) -> parts.add(field + ": " + shorten(value)));
        return String.join(", ", parts);
    }

    private static String quote(String label) {
        return "“" + shorten(label) + "”";
    }

    private static String shorten(String value) {
        String oneLine = value.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_SHOWN ? oneLine : oneLine.substring(0, MAX_SHOWN - 1) + "…";
    }
}
