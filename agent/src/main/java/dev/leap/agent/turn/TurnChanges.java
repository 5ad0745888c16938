package dev.leap.agent.turn;

import dev.leap.store.ReadAll;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordChanges;
import dev.leap.tools.records.RecordEvent;
import dev.leap.tools.records.RecordEventCodec;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The changes a turn committed, read back from the log, each with the sentence that tells the
 * owner about it. This, not the model's account, is what a reply states as done.
 */
final class TurnChanges {

    private static final int PAGE = 500;

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
        return RecordEventCodec.decode(event).map(change -> {
            String label = records.get(change.recordId()).map(RecordState::label).orElse(change.recordId());
            return new Change(event, kindOf(change), RecordChanges.describe(change, label));
        });
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
