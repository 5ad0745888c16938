package dev.leap.agent.model.jlama;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the tool calls in what a Llama model wrote.
 *
 * <p>Llama 3 answers a call as {@code {"name": "...", "parameters": {...}}}, sometimes after
 * {@code <|python_tag|>}, in a code fence, with a sentence around it, several in a row or as a JSON
 * array; some fine-tunes write {@code "arguments"} instead of {@code "parameters"} or nest the call
 * under {@code "function"}. All of those are calls. A reply naming a tool that was not offered is
 * kept as text, so the conversation shows what the model said instead of acting on an invention.
 */
final class ToolCallParser {

    private static final String PYTHON_TAG = "<|python_tag|>";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolCallParser() {}

    /**
     * The calls in {@code output}, with ids {@code call_0}, {@code call_1}, … in order of
     * appearance; empty when the output holds no call, or names a tool not in {@code offeredTools}.
     */
    static List<ToolExecutionRequest> parse(String output, Set<String> offeredTools) {
        if (output == null || offeredTools.isEmpty()) {
            return List.of();
        }
        String text = output.replace(PYTHON_TAG, " ");
        List<Call> calls = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int start = nextJsonStart(text, from);
            if (start < 0) {
                break;
            }
            Optional<ParsedValue> value = readJsonValue(text, start);
            if (value.isEmpty()) {
                from = start + 1;
                continue;
            }
            collectCalls(value.get().node(), calls);
            from = value.get().end();
        }
        if (calls.isEmpty() || calls.stream().anyMatch(call -> !offeredTools.contains(call.name()))) {
            return List.of();
        }
        List<ToolExecutionRequest> requests = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            requests.add(ToolExecutionRequest.builder()
                    .id("call_" + i)
                    .name(calls.get(i).name())
                    .arguments(calls.get(i).arguments())
                    .build());
        }
        return List.copyOf(requests);
    }

    private record Call(String name, String arguments) {}

    private record ParsedValue(JsonNode node, int end) {}

    private static int nextJsonStart(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[') {
                return i;
            }
        }
        return -1;
    }

    /** Reads one JSON value starting at {@code start}, ignoring whatever follows it. */
    private static Optional<ParsedValue> readJsonValue(String text, int start) {
        try (JsonParser parser = JSON.createParser(text.substring(start))) {
            JsonNode node = JSON.readTree(parser);
            if (node == null) {
                return Optional.empty();
            }
            int consumed = (int) parser.currentLocation().getCharOffset();
            return Optional.of(new ParsedValue(node, start + Math.max(consumed, 1)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void collectCalls(JsonNode node, List<Call> calls) {
        if (node.isArray()) {
            node.forEach(element -> collectCalls(element, calls));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode call = node.path("function").isObject() ? node.get("function") : node;
        JsonNode name = call.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            return;
        }
        JsonNode arguments = call.has("parameters") ? call.get("parameters") : call.get("arguments");
        argumentsJson(arguments).ifPresent(json -> calls.add(new Call(name.asText(), json)));
    }

    /** Arguments as JSON object text; a missing value means no arguments, a string may hold the JSON. */
    private static Optional<String> argumentsJson(JsonNode arguments) {
        try {
            if (arguments == null || arguments.isNull()) {
                return Optional.of("{}");
            }
            if (arguments.isObject()) {
                return Optional.of(JSON.writeValueAsString(arguments));
            }
            if (arguments.isTextual()) {
                JsonNode parsed = JSON.readTree(arguments.asText());
                return parsed != null && parsed.isObject() ? Optional.of(JSON.writeValueAsString(parsed)) : Optional.empty();
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
