package dev.leap.tools.records;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * One of the owner's records as it stands now: a projection of its stream.
 *
 * @param revision  revision of the last event of the record's stream folded into this state
 */
public record RecordState(String id, String collection, SequencedMap<String, String> fields, long revision,
        Instant createdAt, Instant updatedAt) {

    public RecordState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(collection, "collection");
        fields = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(fields));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * A short human name for the record: the first of its name, title or text fields, else its
     * first field's value, else its id.
     */
    public String label() {
        return labelOf(id, fields);
    }

    /** The label of a record with this id and these fields. */
    public static String labelOf(String id, SequencedMap<String, String> fields) {
        for (String key : new String[] {"name", "title", "text", "subject"}) {
            String value = fields.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return fields.isEmpty() ? id : fields.firstEntry().getValue();
    }
}
