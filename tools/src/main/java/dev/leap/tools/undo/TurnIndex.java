package dev.leap.tools.undo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.store.ReadAhead;
import dev.leap.store.ReadAll;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordEvent;
import dev.leap.tools.records.RecordEventCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * Which turn changed which records, and which turns were reverted: the index undo and history
 * work from, so that neither has to scan the whole log. Folded from the log like every projection
 * and caught up before each answer.
 */
public final class TurnIndex {

    private final ReadAll log;
    private final SequencedMap<String, List<Change>> byTurn = new LinkedHashMap<>();
    private final Map<String, List<Change>> byRecord = new HashMap<>();
    private final Map<String, String> revertedBy = new HashMap<>();
    private long nextPosition;

    public TurnIndex(ReadAll log) {
        this.log = log;
    }

    /** One change to a record, as the index keeps it. */
    public record Change(RecordedEvent event, RecordEvent change, String turnId) {
    }

    /** The changes a turn made, in order. */
    public synchronized List<Change> changesOf(String turnId) {
        catchUp();
        return List.copyOf(byTurn.getOrDefault(turnId, List.of()));
    }

    /** Every change of one record, in order, whoever made it. */
    public synchronized List<Change> historyOf(String recordId) {
        catchUp();
        return List.copyOf(byRecord.getOrDefault(recordId, List.of()));
    }

    /** Turns that changed something at or after {@code since} and still stand, oldest first. */
    public synchronized List<String> standingTurnsSince(Instant since) {
        catchUp();
        return byTurn.entrySet().stream()
                .filter(entry -> !entry.getValue().getLast().event().recordedAt().isBefore(since))
                .map(Map.Entry::getKey)
                .filter(this::stands)
                .toList();
    }

    /** The newest turn, other than {@code except}, whose changes still stand. */
    public synchronized Optional<String> lastStandingTurn(String except) {
        catchUp();
        return byTurn.sequencedKeySet().reversed().stream()
                .filter(turn -> !turn.equals(except) && stands(turn))
                .findFirst();
    }

    /** The full id of the turn whose id starts with {@code prefix}, if exactly one does. */
    public synchronized Optional<String> turnStartingWith(String prefix) {
        catchUp();
        List<String> matches = byTurn.keySet().stream().filter(turn -> turn.startsWith(prefix)).toList();
        return matches.size() == 1 ? Optional.of(matches.getFirst()) : Optional.empty();
    }

    /**
     * Whether a turn's changes are in effect: it was never reverted, or the turn that reverted it
     * was itself reverted (undoing an undo).
     */
    public synchronized boolean stands(String turnId) {
        catchUp();
        String by = revertedBy.get(turnId);
        return by == null || !stands(by);
    }

    private void catchUp() {
        try (ReadAhead pages = new ReadAhead(log, nextPosition)) {
            for (RecordedEvent event : pages.events()) {
                apply(event);
                nextPosition = event.position() + 1;
            }
        }
    }

    private void apply(RecordedEvent event) {
        if (TurnReverted.TYPE.equals(event.type())) {
            JsonNode data = Json.parse(event.data());
            revertedBy.put(data.get("turnId").asText(), data.path("revertedBy").asText(""));
            return;
        }
        Optional<RecordEvent> change = RecordEventCodec.decode(event);
        if (change.isEmpty()) {
            return;
        }
        String turnId = Provenance.fromJson(event.metadata()).turnId();
        Change indexed = new Change(event, change.get(), turnId);
        if (turnId != null) {
            byTurn.computeIfAbsent(turnId, t -> new ArrayList<>()).add(indexed);
        }
        byRecord.computeIfAbsent(change.get().recordId(), r -> new ArrayList<>()).add(indexed);
    }
}
