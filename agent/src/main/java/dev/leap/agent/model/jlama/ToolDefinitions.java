package dev.leap.agent.model.jlama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tjake.jlama.safetensors.prompt.Function;
import com.github.tjake.jlama.safetensors.prompt.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j tool specifications as Jlama tools, whose JSON the chat template shows the model.
 *
 * <p>Jlama's {@code Parameters} holds only {@code type}, {@code properties} and {@code required},
 * so a tool's top-level {@code additionalProperties} and {@code $defs} cannot be passed on; every
 * property, however deeply nested, keeps its whole schema, {@code additionalProperties} included.
 */
final class ToolDefinitions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolDefinitions() {}

    static List<Tool> toJlama(List<ToolSpecification> specifications) {
        return specifications.stream().map(ToolDefinitions::toJlama).toList();
    }

    static Tool toJlama(ToolSpecification specification) {
        Function.Builder function = Function.builder().name(specification.name());
        if (specification.description() != null) {
            function.description(specification.description());
        }
        JsonObjectSchema parameters = specification.parameters();
        if (parameters != null) {
            List<String> required = parameters.required() == null ? List.of() : parameters.required();
            parameters.properties().forEach((name, schema) ->
                    function.addParameter(name, schema(schema), required.contains(name)));
        }
        return Tool.from(function.build());
    }

    /** One schema element as the JSON Schema map a model was trained to read. */
    static Map<String, Object> schema(JsonSchemaElement element) {
        Map<String, Object> schema = new LinkedHashMap<>();
        switch (element) {
            case JsonObjectSchema object -> {
                schema.put("type", "object");
                Map<String, Object> properties = new LinkedHashMap<>();
                if (object.properties() != null) {
                    object.properties().forEach((name, property) -> properties.put(name, schema(property)));
                }
                schema.put("properties", properties);
                if (object.required() != null && !object.required().isEmpty()) {
                    schema.put("required", object.required());
                }
                if (object.additionalProperties() != null) {
                    schema.put("additionalProperties", object.additionalProperties());
                }
            }
            case JsonStringSchema ignored -> schema.put("type", "string");
            case JsonIntegerSchema ignored -> schema.put("type", "integer");
            case JsonNumberSchema ignored -> schema.put("type", "number");
            case JsonBooleanSchema ignored -> schema.put("type", "boolean");
            case JsonNullSchema ignored -> schema.put("type", "null");
            case JsonEnumSchema enumeration -> {
                schema.put("type", "string");
                schema.put("enum", enumeration.enumValues());
            }
            case JsonArraySchema array -> {
                schema.put("type", "array");
                if (array.items() != null) {
                    schema.put("items", schema(array.items()));
                }
            }
            case JsonAnyOfSchema anyOf -> schema.put("anyOf", anyOf.anyOf().stream().map(ToolDefinitions::schema).toList());
            case JsonReferenceSchema reference -> schema.put("$ref", "#/$defs/" + reference.reference());
            case JsonRawSchema raw -> schema.putAll(parse(raw.schema()));
            default -> throw new IllegalArgumentException("Unsupported JSON schema element: " + element.getClass().getName());
        }
        if (element.description() != null) {
            schema.put("description", element.description());
        }
        return schema;
    }

    private static Map<String, Object> parse(String rawSchema) {
        try {
            return JSON.readValue(rawSchema, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A raw tool schema is not a JSON object: " + rawSchema, e);
        }
    }
}
