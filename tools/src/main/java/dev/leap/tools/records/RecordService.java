package dev.leap.tools.records;

import dev.leap.store.AppendToStream;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.WrongExpectedRevisionException;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordEvent.RecordCreated;
import dev.leap.tools.records.RecordEvent.RecordDeleted;
import dev.leap.tools.records.RecordEvent.RecordUpdated;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.function.Supplier;

/**
 * The owner's records: create, change, delete and look up. Every change is one append to the
 * record's stream, guarded by the revision the change was decided on, so that nothing is ever
 * overwritten silently. Reads append nothing.
 */
public final class RecordService {

    private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final int ID_LENGTH = 6;

    private final AppendToStream log;
    private final RecordProjection projection;
    private final Supplier<String> ids;

    public RecordService(AppendToStream log, RecordProjection projection) {
        this(log, projection, randomIds());
    }

    RecordService(AppendToStream log, RecordProjection projection, Supplier<String> ids) {
        this.log = log;
        this.projection = projection;
        this.ids = ids;
    }

    public RecordState create(String collection, Map<String, String> fields, Provenance provenance) {
        String name = RecordRules.collection(collection);
        SequencedMap<String, String> clean = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            String field = RecordRules.fieldName(key);
            if (value != null && !value.isBlank()) {
                clean.put(field, RecordRules.value(field, value.strip()));
            }
        });
        if (clean.isEmpty()) {
            throw new RecordException.Invalid("a new record needs at least one field with a value, e.g. {\"name\": \"Ann\"}");
        }
        RecordRules.fieldCount(clean);
        while (true) {
            String id = ids.get();
            try {
                log.append(RecordEvent.stream(id), ExpectedRevision.noStream(),
                        RecordEventCodec.encode(new RecordCreated(id, name, clean), provenance));
                return projection.get(id).orElseThrow();
            } catch (WrongExpectedRevisionException taken) {
                // The id was used before (perhaps by a deleted record): draw another.
            }
        }
    }

    /**
     * Sets and removes fields of a record. A null or blank value removes the field. A change that
     * would leave the record as it is appends nothing and returns the record unchanged.
     */
    public RecordState update(String id, Map<String, String> set, Collection<String> remove, Provenance provenance) {
        RecordState current = current(id);
        SequencedMap<String, String> changes = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        SequencedMap<String, String> before = new LinkedHashMap<>();
        set.forEach((key, value) -> {
            String field = RecordRules.fieldName(key);
            String old = current.fields().get(field);
            if (value == null || value.isBlank()) {
                if (old != null) {
                    removed.add(field);
                    before.put(field, old);
                }
            } else if (!value.strip().equals(old)) {
                changes.put(field, RecordRules.value(field, value.strip()));
                if (old != null) {
                    before.put(field, old);
                }
            }
        });
        for (String key : remove) {
            String field = RecordRules.fieldName(key);
            if (current.fields().containsKey(field) && !removed.contains(field)) {
                removed.add(field);
                before.put(field, current.fields().get(field));
            }
        }
        if (changes.isEmpty() && removed.isEmpty()) {
            return current;
        }
        Map<String, String> after = new LinkedHashMap<>(current.fields());
        removed.forEach(after::remove);
        after.putAll(changes);
        RecordRules.fieldCount(after);
        log.append(RecordEvent.stream(current.id()), ExpectedRevision.exactly(current.revision()),
                RecordEventCodec.encode(new RecordUpdated(current.id(), current.collection(), changes, removed, before),
                        provenance));
        return projection.get(current.id()).orElseThrow();
    }

    /** Deletes a record and returns what it held. The record's stream keeps all of its history. */
    public RecordState delete(String id, Provenance provenance) {
        RecordState current = current(id);
        log.append(RecordEvent.stream(current.id()), ExpectedRevision.exactly(current.revision()),
                RecordEventCodec.encode(new RecordDeleted(current.id(), current.collection(), current.fields()),
                        provenance));
        projection.catchUp();
        return current;
    }

    public Optional<RecordState> get(String id) {
        return projection.get(id.strip());
    }

    public List<RecordState> find(String words, String collection, int limit) {
        String name = collection == null || collection.isBlank() ? null : RecordRules.collection(collection);
        return projection.find(words, name, limit);
    }

    public SequencedMap<String, Integer> collections() {
        return projection.collections();
    }

    private RecordState current(String id) {
        Objects.requireNonNull(id, "id");
        return projection.get(id.strip()).orElseThrow(() -> new RecordException.NotFound(id));
    }

    private static Supplier<String> randomIds() {
        SecureRandom random = new SecureRandom();
        return () -> {
            StringBuilder id = new StringBuilder(ID_LENGTH);
            for (int i = 0; i < ID_LENGTH; i++) {
                id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
            }
            return id.toString();
        };
    }
}
