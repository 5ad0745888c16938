package dev.leap.tools.records;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * What can happen to one of the owner's records. Each event lives in the record's own stream,
 * {@code record-<id>}, and carries enough to undo it without reading anything else.
 */
public sealed interface RecordEvent {

    String recordId();

    String collection();

    /** The stream of the record with this id. */
    static String stream(String recordId) {
        return "record-" + recordId;
    }

    /** A record came into being with these fields. */
    record RecordCreated(String recordId, String collection, SequencedMap<String, String> fields)
            implements RecordEvent {
        public RecordCreated {
            Objects.requireNonNull(recordId, "recordId");
            Objects.requireNonNull(collection, "collection");
            fields = frozen(fields);
        }
    }

    /**
     * Fields of a record changed.
     *
     * @param set     fields given a new value
     * @param removed fields taken away
     * @param before  the previous value of every field in {@code set} or {@code removed} that had one
     */
    record RecordUpdated(String recordId, String collection, SequencedMap<String, String> set, List<String> removed,
            SequencedMap<String, String> before) implements RecordEvent {
        public RecordUpdated {
            Objects.requireNonNull(recordId, "recordId");
            Objects.requireNonNull(collection, "collection");
            set = frozen(set);
            removed = List.copyOf(removed);
            before = frozen(before);
            if (set.isEmpty() && removed.isEmpty()) {
                throw new IllegalArgumentException("an update changes at least one field");
            }
        }
    }

    /** A record was deleted; {@code fields} is what it held, so that it can be restored. */
    record RecordDeleted(String recordId, String collection, SequencedMap<String, String> fields)
            implements RecordEvent {
        public RecordDeleted {
            Objects.requireNonNull(recordId, "recordId");
            Objects.requireNonNull(collection, "collection");
            fields = frozen(fields);
        }
    }

    /** A deleted record came back, with these fields: the undo of a delete. */
    record RecordRestored(String recordId, String collection, SequencedMap<String, String> fields)
            implements RecordEvent {
        public RecordRestored {
            Objects.requireNonNull(recordId, "recordId");
            Objects.requireNonNull(collection, "collection");
            fields = frozen(fields);
        }
    }

    private static SequencedMap<String, String> frozen(Map<String, String> fields) {
        Objects.requireNonNull(fields, "fields");
        return Collections.unmodifiableSequencedMap(new LinkedHashMap<>(fields));
    }
}
