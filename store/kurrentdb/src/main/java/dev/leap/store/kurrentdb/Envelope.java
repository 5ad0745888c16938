package dev.leap.store.kurrentdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What Leap records about an event that KurrentDB has no field for: its position, time, hash and the
 * writer's metadata. It travels as the event's properties (multi-stream appends take user metadata as
 * a JSON object of strings) and KurrentDB hands the properties back as a JSON object, adding its own
 * {@code $schema.*} keys. Every value is a string: the writer's metadata is kept as the exact text it
 * gave, not as parsed JSON, so it reads back byte for byte.
 */
record Envelope(long position, Instant recordedAt, String hash, String metadata) {

    static final String POSITION = "leap.position";
    static final String RECORDED_AT = "leap.recordedAt";
    static final String HASH = "leap.hash";
    static final String METADATA = "leap.metadata";

    Envelope {
        if (position < 0) {
            throw new IllegalArgumentException("a position is 0 or more, not " + position);
        }
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (!recordedAt.equals(recordedAt.truncatedTo(ChronoUnit.MICROS))) {
            throw new IllegalArgumentException("the log records time in microseconds, not " + recordedAt);
        }
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** The envelope as the user metadata of a KurrentDB event. */
    byte[] toProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(POSITION, Long.toString(position));
        properties.put(RECORDED_AT, recordedAt.toString());
        properties.put(HASH, hash);
        properties.put(METADATA, metadata);
        return Json.write(properties);
    }

    /** The envelope in a stored event's metadata, or empty if the event was not written by Leap. */
    static Optional<Envelope> fromProperties(byte[] storedMetadata) {
        return Json.readObject(storedMetadata).flatMap(Envelope::from);
    }

    private static Optional<Envelope> from(JsonNode properties) {
        Optional<String> position = Json.text(properties, POSITION);
        Optional<String> recordedAt = Json.text(properties, RECORDED_AT);
        Optional<String> hash = Json.text(properties, HASH);
        Optional<String> metadata = Json.text(properties, METADATA);
        if (position.isEmpty() || recordedAt.isEmpty() || hash.isEmpty() || metadata.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Envelope(Long.parseLong(position.get()), Instant.parse(recordedAt.get()),
                    hash.get(), metadata.get()));
        } catch (IllegalArgumentException | DateTimeException e) { // includes a malformed number
            return Optional.empty();
        }
    }
}
