package dev.leap.store.kurrentdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Optional;

/** The JSON the engine stores beside Leap's events: small objects of strings and numbers. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
    }

    /** The JSON object in {@code bytes}, or empty if they are not one. */
    static Optional<JsonNode> readObject(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The text of a string field, or empty if the field is missing or not a string. */
    static Optional<String> text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /** The value of an integral number field, or empty if the field is missing or not one. */
    static Optional<Long> integer(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.canConvertToExactIntegral() && value.canConvertToLong()
                ? Optional.of(value.longValue())
                : Optional.empty();
    }
}
