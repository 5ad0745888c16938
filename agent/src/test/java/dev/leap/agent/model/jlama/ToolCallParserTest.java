package dev.leap.agent.model.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolCallParserTest {

    private static final Set<String> OFFERED = Set.of("create_record", "search_records");

    @Test
    void a_llama_3_call_becomes_one_request_with_its_name_and_arguments() {
        List<ToolExecutionRequest> calls = ToolCallParser.parse(
                "{\"name\":\"create_record\",\"parameters\":{\"collection\":\"contacts\"}}", OFFERED);

        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("create_record");
            assertThat(call.arguments()).isEqualTo("{\"collection\":\"contacts\"}");
            assertThat(call.id()).isEqualTo("call_0");
        });
    }

    @Test
    void a_call_after_the_python_tag_is_a_call() {
        List<ToolExecutionRequest> calls = ToolCallParser.parse(
                "<|python_tag|>{\"name\": \"search_records\", \"parameters\": {\"query\": \"Ada\"}}", OFFERED);

        assertThat(calls).extracting(ToolExecutionRequest::name).containsExactly("search_records");
        assertThat(calls.getFirst().arguments()).isEqualTo("{\"query\":\"Ada\"}");
    }

    @Test
    void text_around_the_call_is_ignored() {
        List<ToolExecutionRequest> calls = ToolCallParser.parse(
                "Sure, I'll add her.\n```json\n{\"name\": \"create_record\", \"parameters\": {\"collection\": \"contacts\", "
                        + "\"fields\": {\"name\": \"Ada\", \"tags\": [\"friend\"]}}}\n```\nLet me know if you need more.",
                OFFERED);

        assertThat(calls).singleElement().satisfies(call -> assertThat(call.arguments())
                .isEqualTo("{\"collection\":\"contacts\",\"fields\":{\"name\":\"Ada\",\"tags\":[\"friend\"]}}"));
    }

    @Test
    void several_calls_get_ids_unique_within_the_reply() {
        List<ToolExecutionRequest> inARow = ToolCallParser.parse(
                "{\"name\": \"search_records\", \"parameters\": {\"query\": \"Ada\"}}; "
                        + "{\"name\": \"create_record\", \"parameters\": {\"collection\": \"notes\"}}",
                OFFERED);
        List<ToolExecutionRequest> asArray = ToolCallParser.parse(
                "[{\"name\": \"search_records\", \"arguments\": {\"query\": \"Ada\"}},"
                        + " {\"function\": {\"name\": \"create_record\", \"arguments\": \"{\\\"collection\\\": \\\"notes\\\"}\"}}]",
                OFFERED);

        for (List<ToolExecutionRequest> calls : List.of(inARow, asArray)) {
            assertThat(calls).extracting(ToolExecutionRequest::name).containsExactly("search_records", "create_record");
            assertThat(calls).extracting(ToolExecutionRequest::id).containsExactly("call_0", "call_1");
            assertThat(calls.get(1).arguments()).isEqualTo("{\"collection\":\"notes\"}");
        }
    }

    @Test
    void a_call_without_parameters_has_empty_arguments() {
        assertThat(ToolCallParser.parse("{\"name\": \"search_records\"}", OFFERED))
                .singleElement()
                .satisfies(call -> assertThat(call.arguments()).isEqualTo("{}"));
    }

    @Test
    void a_name_that_was_not_offered_is_not_a_call() {
        assertThat(ToolCallParser.parse("{\"name\": \"delete_everything\", \"parameters\": {}}", OFFERED)).isEmpty();
        assertThat(ToolCallParser.parse(
                "{\"name\": \"create_record\", \"parameters\": {}} {\"name\": \"send_money\", \"parameters\": {}}", OFFERED))
                .as("one invented tool makes the whole reply text")
                .isEmpty();
    }

    @Test
    void plain_text_and_other_json_are_not_calls() {
        assertThat(ToolCallParser.parse("Your meeting is at {time} tomorrow.", OFFERED)).isEmpty();
        assertThat(ToolCallParser.parse("The answer is {\"total\": 3}", OFFERED)).isEmpty();
        assertThat(ToolCallParser.parse("{\"name\": \"create_record\", \"parameters\": [1, 2]}", OFFERED)).isEmpty();
        assertThat(ToolCallParser.parse("{\"name\": \"create_record\", \"parame", OFFERED)).isEmpty();
        assertThat(ToolCallParser.parse("", OFFERED)).isEmpty();
    }

    @Test
    void nothing_is_a_call_when_no_tools_were_offered() {
        assertThat(ToolCallParser.parse("{\"name\": \"create_record\", \"parameters\": {}}", Set.of())).isEmpty();
    }
}
