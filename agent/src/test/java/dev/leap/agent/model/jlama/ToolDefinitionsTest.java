package dev.leap.agent.model.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tjake.jlama.safetensors.prompt.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import org.junit.jupiter.api.Test;

class ToolDefinitionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_tool_keeps_its_description_required_properties_and_nested_schemas() throws Exception {
        ToolSpecification createRecord = ToolSpecification.builder()
                .name("create_record")
                .description("Stores a record in a collection")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("collection", "Where the record goes")
                        .addProperty("fields", JsonObjectSchema.builder()
                                .description("The record's fields")
                                .addStringProperty("name")
                                .addProperty("tags", JsonArraySchema.builder().items(new JsonStringSchema()).build())
                                .addProperty("kind", JsonEnumSchema.builder().enumValues("person", "company").build())
                                .required("name")
                                .additionalProperties(false)
                                .build())
                        .required("collection", "fields")
                        .build())
                .build();

        Tool tool = ToolDefinitions.toJlama(createRecord);
        JsonNode json = JSON.valueToTree(tool);

        JsonNode function = json.get("function");
        assertThat(json.get("type").asText()).isEqualTo("function");
        assertThat(function.get("name").asText()).isEqualTo("create_record");
        assertThat(function.get("description").asText()).isEqualTo("Stores a record in a collection");
        JsonNode parameters = function.get("parameters");
        assertThat(parameters.get("type").asText()).isEqualTo("object");
        assertThat(parameters.get("required")).containsExactly(
                JSON.getNodeFactory().textNode("collection"), JSON.getNodeFactory().textNode("fields"));
        assertThat(parameters.at("/properties/collection")).isEqualTo(JSON.readTree(
                "{\"type\": \"string\", \"description\": \"Where the record goes\"}"));
        assertThat(parameters.at("/properties/fields")).isEqualTo(JSON.readTree("""
                {"type": "object",
                 "properties": {
                   "name": {"type": "string"},
                   "tags": {"type": "array", "items": {"type": "string"}},
                   "kind": {"type": "string", "enum": ["person", "company"]}},
                 "required": ["name"],
                 "additionalProperties": false,
                 "description": "The record's fields"}
                """));
    }

    @Test
    void a_tool_without_parameters_has_an_empty_parameter_object() {
        Tool tool = ToolDefinitions.toJlama(ToolSpecification.builder().name("list_collections").build());

        JsonNode parameters = JSON.valueToTree(tool).at("/function/parameters");
        assertThat(parameters.get("type").asText()).isEqualTo("object");
        assertThat(parameters.get("properties")).isEmpty();
    }
}
