package dev.leap.tools.files;

import dev.leap.store.AppendToStream;
import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordException;
import dev.leap.tools.records.RecordRules;
import dev.leap.tools.records.RecordService;
import dev.leap.tools.records.RecordState;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a collection to a CSV or JSON file in the exports folder of the data directory, and
 * records that it did ({@code CollectionExported}), so the reply can state it as a fact.
 */
public final class ExportService {

    public static final String EXPORTED = "CollectionExported";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final RecordService records;
    private final AppendToStream log;
    private final Path directory;
    private final Clock clock;

    public ExportService(RecordService records, AppendToStream log, Path directory, Clock clock) {
        this.records = records;
        this.log = log;
        this.directory = directory;
        this.clock = clock;
    }

    /** A file written. */
    public record Export(String collection, Path file, int count) {
    }

    /** @param format "csv" or "json" */
    public Export export(String collection, String format, Provenance provenance) {
        String name = RecordRules.collection(collection);
        String kind = format == null || format.isBlank() ? "csv" : format.strip().toLowerCase(Locale.ROOT);
        if (!kind.equals("csv") && !kind.equals("json")) {
            throw new RecordException.Invalid("an export is csv or json, not '" + format + "'");
        }
        List<RecordState> all = records.find(null, name, Integer.MAX_VALUE).reversed();
        if (all.isEmpty()) {
            throw new RecordException.Invalid("there are no records in " + name + " to export");
        }
        Path file = directory.resolve(name + "-" + clock.instant().atZone(clock.getZone()).format(STAMP) + "." + kind);
        try {
            Files.createDirectories(directory);
            Files.writeString(file, kind.equals("csv") ? csv(all) : json(all));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        ObjectNode data = Json.MAPPER.createObjectNode().put("collection", name).put("file", file.toString())
                .put("count", all.size()).put("format", kind);
        log.append("exports", ExpectedRevision.any(), new EventData(UUID.randomUUID(), EXPORTED, data.toString(),
                provenance.toJson()));
        return new Export(name, file, all.size());
    }

    private static String csv(List<RecordState> all) throws IOException {
        Set<String> columns = new LinkedHashSet<>(List.of("id"));
        all.forEach(record -> columns.addAll(record.fields().keySet()));
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(columns.toArray(String[]::new)).get())) {
            for (RecordState record : all) {
                for (String column : columns) {
                    printer.print(column.equals("id") ? record.id() : record.fields().getOrDefault(column, ""));
                }
                printer.println();
            }
        }
        return out.toString();
    }

    private static String json(List<RecordState> all) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (RecordState record : all) {
            ObjectNode item = array.addObject().put("id", record.id());
            record.fields().forEach(item::put);
        }
        return array.toPrettyString() + "\n";
    }
}
