package dev.leap.connectors.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.store.Direction;
import dev.leap.store.ReadStream;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.files.ExportService;
import dev.leap.tools.records.RecordChanges;
import dev.leap.tools.records.RecordEvent;
import dev.leap.tools.records.RecordEventCodec;
import dev.leap.tools.records.RecordState;
import dev.leap.tools.undo.TurnReverted;
import dev.leap.tools.undo.UndoService;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * The sentence that says what one event did, as the owner's replies put it. An update names its
 * record by the record's label just after it, folded from the record's own stream up to the event:
 * the log alone, without any projection.
 */
final class ChangeSentences {

    private final ReadStream log;

    ChangeSentences(ReadStream log) {
        this.log = log;
    }

    String of(RecordedEvent event) {
        if (TurnReverted.TYPE.equals(event.type())) {
            TurnReverted reverted = TurnStream.reverted(event);
            return "Reverted turn %s (%d event(s) reversed).".formatted(UndoService.shortId(reverted.turnId()),
                    reverted.reversed().size());
        }
        if (ExportService.EXPORTED.equals(event.type())) {
            JsonNode data = EventBody.json(event.data());
            return "Exported %d record(s) of %s to %s.".formatted(data.path("count").asInt(),
                    data.path("collection").asText(), data.path("file").asText());
        }
        return RecordEventCodec.decode(event)
                .map(change -> RecordChanges.describe(change, change instanceof RecordEvent.RecordUpdated
                        ? labelAfter(event)
                        : change.recordId()))
                .orElse(event.type() + " in " + event.stream() + ".");
    }

    private String labelAfter(RecordedEvent update) {
        SequencedMap<String, String> fields = new LinkedHashMap<>();
        String id = update.stream().substring("record-".length());
        for (RecordedEvent event : log.readStream(update.stream(), 0, Math.toIntExact(update.revision() + 1),
                Direction.FORWARDS)) {
            RecordEventCodec.decode(event).ifPresent(change -> {
                switch (change) {
                    case RecordEvent.RecordCreated created -> replace(fields, created.fields());
                    case RecordEvent.RecordRestored restored -> replace(fields, restored.fields());
                    case RecordEvent.RecordDeleted deleted -> fields.clear();
                    case RecordEvent.RecordUpdated updated -> {
                        updated.removed().forEach(fields::remove);
                        fields.putAll(updated.set());
                    }
                }
            });
        }
        return RecordState.labelOf(id, fields);
    }

    private static void replace(SequencedMap<String, String> fields, SequencedMap<String, String> with) {
        fields.clear();
        fields.putAll(with);
    }
}
