package dev.leap.tools.actions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import dev.leap.tools.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The arguments of one tool call, with accessors that explain precisely what is wrong when a
 * small model gets them wrong. Scalars are accepted where text is expected ("42", 42 and true all
 * read as text), because models often quote or unquote values at random.
 */
public final class ToolArguments {

    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private final String tool;
    private final JsonNode node;

    private ToolArguments(String tool, JsonNode node) {
        this.tool = tool;
        this.node = node;
    }

    /**
     * Parses the arguments a model sent; empty text means no arguments. Small models get JSON
     * slightly wrong in the same few ways, and each is forgiven: text before the object or after it,
     * single quotes, unquoted names, trailing commas, comments.
     */
    public static ToolArguments parse(String tool, String json) {
        Objects.requireNonNull(tool, "tool");
        if (json == null || json.isBlank()) {
            return new ToolArguments(tool, Json.MAPPER.createObjectNode());
        }
        JsonNode node;
        int start = json.indexOf('{');
        try (JsonParser parser = LENIENT.createParser(start < 0 ? json : json.substring(start))) {
            node = parser.readValueAsTree();
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new ToolInputException("the arguments of " + tool + " are not valid JSON (" + reason
                    + "); send one JSON object");
        }
        if (node == null) {
            throw new ToolInputException("the arguments of " + tool + " are empty; send one JSON object");
        }
        if (!node.isObject()) {
            throw new ToolInputException("the arguments of " + tool + " must be one JSON object, not " + node.getNodeType());
        }
        return new ToolArguments(tool, node);
    }

    public String requiredText(String name) {
        String value = optionalText(name);
        if (value == null || value.isBlank()) {
            throw new ToolInputException(tool + " needs the argument '" + name + "'");
        }
        return value;
    }

    public String optionalText(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new ToolInputException("the argument '" + name + "' of " + tool + " must be text, not " + value.getNodeType());
        }
        return value.asText();
    }

    /** An object of field names to text values; a null value stays null (it means "remove"). */
    public Map<String, String> fields(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new ToolInputException(tool + " needs the argument '" + name
                    + "', an object of field names to values, e.g. {\"name\": \"Ann\", \"phone\": \"555-0100\"}");
        }
        if (value.isTextual()) {
            // Some models send the object as a JSON string; accept it if it is one.
            try {
                value = Json.parse(value.asText());
            } catch (IllegalArgumentException e) {
                value = null;
            }
        }
        if (value == null || !value.isObject()) {
            throw new ToolInputException("the argument '" + name + "' of " + tool
                    + " must be an object of field names to values, e.g. {\"name\": \"Ann\"}");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            JsonNode field = entry.getValue();
            if (field.isNull()) {
                fields.put(entry.getKey(), null);
            } else if (field.isValueNode()) {
                fields.put(entry.getKey(), field.asText());
            } else {
                throw new ToolInputException("the value of field '" + entry.getKey() + "' must be text, a number or "
                        + "true/false, not " + field.getNodeType());
            }
        }
        return fields;
    }

    /** The arguments in a canonical form: two calls with the same canonical arguments ask for the same thing. */
    public String canonical() {
        try {
            return CANONICAL.writeValueAsString(CANONICAL.treeToValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    /** A list of text values; a single text value reads as a list of one. Absent means empty. */
    public List<String> texts(String name) {
        JsonNode value = node.get(name);
        List<String> texts = new ArrayList<>();
        if (value == null || value.isNull()) {
            return texts;
        }
        if (value.isValueNode()) {
            texts.add(value.asText());
            return texts;
        }
        if (!value.isArray()) {
            throw new ToolInputException("the argument '" + name + "' of " + tool + " must be a list of names");
        }
        value.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
