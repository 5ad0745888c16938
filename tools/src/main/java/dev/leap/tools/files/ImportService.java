package dev.leap.tools.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordException;
import dev.leap.tools.records.RecordRules;
import dev.leap.tools.records.RecordService;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Turns a CSV or JSON file into records of one collection. Every row is judged on its own: good
 * rows become records, bad rows are refused with the reason, and the report says which. The file's
 * contents are data: nothing in them is ever read as an instruction.
 */
public final class ImportService {

    public static final int MAX_ROWS = 10_000;

    private final RecordService records;

    public ImportService(RecordService records) {
        this.records = records;
    }

    /** What an import did. Row numbers count data rows from 1 (a CSV header is not a row). */
    public record Report(String collection, List<String> imported, List<Refusal> refused) {
        public Report {
            imported = List.copyOf(imported);
            refused = List.copyOf(refused);
        }

        /** One plain paragraph for the owner. */
        public String summary() {
            StringBuilder text = new StringBuilder("Imported " + imported.size() + " record(s) into " + collection + ".");
            if (!refused.isEmpty()) {
                text.append(" Refused ").append(refused.size()).append(": ");
                refused.stream().limit(10).forEach(r -> text.append("row ").append(r.row()).append(" (").append(r.reason()).append("); "));
                if (refused.size() > 10) {
                    text.append("and ").append(refused.size() - 10).append(" more.");
                } else {
                    text.setLength(text.length() - 2);
                    text.append('.');
                }
            }
            return text.toString();
        }
    }

    public record Refusal(int row, String reason) {
    }

    /**
     * @param collection where the records go; when blank, the file's name without its extension
     * @throws RecordException.Invalid if the file as a whole cannot be read
     */
    public Report importFile(String fileName, byte[] content, String collection, Provenance provenance) {
        String target = RecordRules.collection(collection == null || collection.isBlank() ? baseName(fileName) : collection);
        String text = new String(content, StandardCharsets.UTF_8).replace("\uFEFF", "");
        List<Map<String, String>> rows = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        if (isJson(fileName, text)) {
            readJson(text, rows, refused);
        } else {
            readCsv(text, rows, refused);
        }
        if (rows.size() + refused.size() > MAX_ROWS) {
            throw new RecordException.Invalid("the file has more than " + MAX_ROWS + " rows; split it");
        }
        List<String> imported = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            if (row == null) {
                continue;
            }
            try {
                imported.add(records.create(target, row, provenance).id());
            } catch (RecordException.Invalid e) {
                refused.add(new Refusal(i + 1, e.getMessage()));
            }
        }
        refused.sort((a, b) -> Integer.compare(a.row(), b.row()));
        return new Report(target, imported, refused);
    }

    private static void readCsv(String text, List<Map<String, String>> rows, List<Refusal> refused) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw new RecordException.Invalid("the CSV file has no header row naming its columns");
            }
            for (CSVRecord record : parser) {
                int row = (int) record.getRecordNumber();
                if (!record.isConsistent()) {
                    rows.add(null);
                    refused.add(new Refusal(row, "it has " + record.size() + " values but the header names "
                            + header.size() + " columns"));
                    continue;
                }
                rows.add(new LinkedHashMap<>(record.toMap()));
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new RecordException.Invalid("the file is not readable CSV: " + e.getMessage());
        }
    }

    private static void readJson(String text, List<Map<String, String>> rows, List<Refusal> refused) {
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RecordException.Invalid("the file is not readable JSON: " + e.getMessage());
        }
        JsonNode items = root;
        if (root.isObject() && root.size() == 1 && root.elements().next().isArray()) {
            items = root.elements().next();
        }
        if (!items.isArray()) {
            throw new RecordException.Invalid("a JSON file to import holds a list of objects, e.g. [{\"name\": \"Ann\"}]");
        }
        int row = 0;
        for (JsonNode item : items) {
            row++;
            if (!item.isObject()) {
                rows.add(null);
                refused.add(new Refusal(row, "it is not an object of fields"));
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            String problem = null;
            for (Map.Entry<String, JsonNode> field : item.properties()) {
                if (field.getValue().isNull()) {
                    continue;
                }
                if (!field.getValue().isValueNode()) {
                    problem = "field '" + field.getKey() + "' must be text, a number or true/false";
                    break;
                }
                fields.put(field.getKey(), field.getValue().asText());
            }
            if (problem != null) {
                rows.add(null);
                refused.add(new Refusal(row, problem));
            } else {
                rows.add(fields);
            }
        }
    }

    private static boolean isJson(String fileName, String text) {
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return true;
        }
        if (name.endsWith(".csv")) {
            return false;
        }
        String start = text.stripLeading();
        return start.startsWith("[") || start.startsWith("{");
    }

    private static String baseName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            throw new RecordException.Invalid("name the collection to import into, e.g. contacts");
        }
        String name = fileName.replaceAll(".*[/\\\\]", "");
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
