package dev.leap.tools.records;

import dev.leap.store.ReadAhead;
import dev.leap.store.ReadAll;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.records.RecordEvent.RecordCreated;
import dev.leap.tools.records.RecordEvent.RecordDeleted;
import dev.leap.tools.records.RecordEvent.RecordRestored;
import dev.leap.tools.records.RecordEvent.RecordUpdated;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.TreeMap;

/**
 * The owner's records as they stand: a fold of every record event in the log. It is rebuilt from
 * position 0 when created and catches up with the log before answering any question, so it always
 * reflects every append that returned, including appends made by another process.
 */
public final class RecordProjection {

    /** Events folded between two checkpoints. */
    public static final int CHECKPOINT_EVERY = 100_000;

    private final ReadAll log;
    private final Checkpoints checkpoints;
    private final Map<String, RecordState> records = new HashMap<>();
    private long nextPosition;
    private String lastHash;
    private long sinceCheckpoint;

    /** A projection folded from the beginning of the log, kept in memory only. */
    public RecordProjection(ReadAll log) {
        this(log, null);
    }

    /**
     * A projection that resumes from its newest valid checkpoint and saves one every
     * {@link #CHECKPOINT_EVERY} events; {@code checkpoints} may be null for none.
     */
    public RecordProjection(ReadAll log, Checkpoints checkpoints) {
        this.log = log;
        this.checkpoints = checkpoints;
        if (checkpoints != null) {
            checkpoints.atOrBefore(Long.MAX_VALUE).filter(this::belongsToLog).ifPresent(checkpoint -> {
                records.putAll(checkpoint.records());
                nextPosition = checkpoint.position() + 1;
                lastHash = checkpoint.hash();
            });
        }
        catchUp();
    }

    /**
     * The records as they were just after the event at {@code position}: folded from the nearest
     * checkpoint before it (or from the beginning), without touching this projection.
     */
    public static Map<String, RecordState> asOf(ReadAll log, Checkpoints checkpoints, long position) {
        Map<String, RecordState> state = new HashMap<>();
        long from = 0;
        if (checkpoints != null) {
            Optional<Checkpoints.Checkpoint> nearest = checkpoints.atOrBefore(position)
                    .filter(checkpoint -> matches(log, checkpoint));
            if (nearest.isPresent()) {
                state.putAll(nearest.get().records());
                from = nearest.get().position() + 1;
            }
        }
        if (from > position) {
            return Map.copyOf(state);
        }
        try (ReadAhead pages = new ReadAhead(log, from)) {
            for (RecordedEvent event : pages.events()) {
                if (event.position() > position) {
                    break;
                }
                RecordEventCodec.decode(event).ifPresent(change -> fold(state, change, event));
            }
        }
        return Map.copyOf(state);
    }

    /** Folds every event appended since the last call. */
    public synchronized void catchUp() {
        try (ReadAhead pages = new ReadAhead(log, nextPosition)) {
            for (List<RecordedEvent> page = pages.next(); !page.isEmpty(); page = pages.next()) {
                for (RecordedEvent event : page) {
                    RecordEventCodec.decode(event).ifPresent(e -> apply(e, event));
                    nextPosition = event.position() + 1;
                    lastHash = event.hash();
                    sinceCheckpoint++;
                }
                if (checkpoints != null && sinceCheckpoint >= CHECKPOINT_EVERY) {
                    checkpoint();
                }
            }
        }
    }

    /** Saves the state now, so that the next start resumes from here. */
    public synchronized void checkpoint() {
        if (checkpoints != null && lastHash != null) {
            checkpoints.save(nextPosition - 1, lastHash, records);
            sinceCheckpoint = 0;
        }
    }

    private boolean belongsToLog(Checkpoints.Checkpoint checkpoint) {
        return matches(log, checkpoint);
    }

    /** Whether the log has, at the checkpoint's position, the very event the checkpoint was taken after. */
    private static boolean matches(ReadAll log, Checkpoints.Checkpoint checkpoint) {
        List<RecordedEvent> at = log.readAll(checkpoint.position(), 1);
        return !at.isEmpty() && at.getFirst().position() == checkpoint.position() && at.getFirst().hash().equals(checkpoint.hash());
    }

    /** The position of the first event this projection has not folded yet. */
    public synchronized long nextPosition() {
        return nextPosition;
    }

    public synchronized Optional<RecordState> get(String id) {
        catchUp();
        return Optional.ofNullable(records.get(id));
    }

    /**
     * Records containing every one of the words (in a field's name or value, ignoring case and
     * accents), newest change first. Blank words match every record; a null collection means all.
     */
    public synchronized List<RecordState> find(String words, String collection, int limit) {
        catchUp();
        List<String> terms = words == null || words.isBlank()
                ? List.of()
                : Arrays.stream(fold(words).split("\\s+")).filter(t -> !t.isEmpty()).toList();
        return records.values().stream()
                .filter(r -> collection == null || r.collection().equals(collection))
                .filter(r -> terms.isEmpty() || matchesAll(r, terms))
                .sorted(Comparator.comparing(RecordState::updatedAt).reversed().thenComparing(RecordState::id))
                .limit(limit)
                .toList();
    }

    /** Every collection that holds at least one record, with its count, in name order. */
    public synchronized SequencedMap<String, Integer> collections() {
        catchUp();
        Map<String, Integer> counts = new TreeMap<>();
        for (RecordState record : records.values()) {
            counts.merge(record.collection(), 1, Integer::sum);
        }
        return new LinkedHashMap<>(counts);
    }

    /** Every current record, for comparisons and exports. */
    public synchronized Map<String, RecordState> snapshot() {
        catchUp();
        return Map.copyOf(records);
    }

    private void apply(RecordEvent event, RecordedEvent envelope) {
        fold(records, event, envelope);
    }

    /** How one record event changes the records. */
    private static void fold(Map<String, RecordState> records, RecordEvent event, RecordedEvent envelope) {
        RecordState current = records.get(event.recordId());
        switch (event) {
            case RecordCreated created -> records.put(created.recordId(), new RecordState(created.recordId(),
                    created.collection(), created.fields(), envelope.revision(), envelope.recordedAt(),
                    envelope.recordedAt()));
            case RecordUpdated updated -> {
                if (current != null) {
                    SequencedMap<String, String> fields = new LinkedHashMap<>(current.fields());
                    updated.removed().forEach(fields::remove);
                    fields.putAll(updated.set());
                    records.put(current.id(), new RecordState(current.id(), current.collection(), fields,
                            envelope.revision(), current.createdAt(), envelope.recordedAt()));
                }
            }
            case RecordDeleted deleted -> records.remove(deleted.recordId());
            case RecordRestored restored -> records.put(restored.recordId(), new RecordState(restored.recordId(),
                    restored.collection(), restored.fields(), envelope.revision(), envelope.recordedAt(),
                    envelope.recordedAt()));
        }
    }

    private static boolean matchesAll(RecordState record, List<String> terms) {
        StringBuilder text = new StringBuilder(fold(record.collection()));
        record.fields().forEach((key, value) -> text.append(' ').append(fold(key)).append(' ').append(fold(value)));
        String haystack = text.toString();
        return terms.stream().allMatch(haystack::contains);
    }

    /** Lower case without accents, so that "zoe" finds "Zoë". */
    static String fold(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
    }
}
