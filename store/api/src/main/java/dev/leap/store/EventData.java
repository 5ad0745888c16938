package dev.leap.store;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An event as a writer proposes it. The log adds position, revision, time and hash when it records it.
 *
 * @param id       identity of the event; appending an id that is already in the log appends nothing
 * @param type     what happened, e.g. {@code RecordCreated}
 * @param data     the payload, JSON text
 * @param metadata why it happened (turn, message, tool call, actor), JSON text
 */
public record EventData(UUID id, String type, String data, String metadata) {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,127}");

    public EventData {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException(
                    "an event type is a letter followed by up to 127 letters, digits, '.', '_' or '-', not '" + type + "'");
        }
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** An event with a fresh random id and empty metadata. */
    public static EventData of(String type, String data) {
        return new EventData(UUID.randomUUID(), type, data, "{}");
    }
}
