package dev.leap.tools.records;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.leap.tools.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.stream.Stream;

/**
 * Saved states of the record projection, so that it resumes after a restart instead of folding
 * the whole log again, and so that the records as of an old position are folded from the nearest
 * saved state rather than from the beginning. Each file holds the state after the event at its
 * position, and that event's hash: a checkpoint whose hash the log does not have at that position
 * belongs to another log (or a tampered one) and is ignored.
 */
public final class Checkpoints {

    private static final String PREFIX = "records-";
    private static final String SUFFIX = ".json";

    private final Path directory;
    private final int keep;

    /** @param keep how many checkpoints to keep; older ones are deleted */
    public Checkpoints(Path directory, int keep) {
        this.directory = directory;
        this.keep = keep;
    }

    /** A saved state: the records after the event at {@code position}, whose hash is {@code hash}. */
    public record Checkpoint(long position, String hash, Map<String, RecordState> records) {
    }

    /** The newest checkpoint at or before {@code position}, if there is one. */
    public Optional<Checkpoint> atOrBefore(long position) {
        return positions().stream().filter(p -> p <= position).max(Long::compare).map(this::read);
    }

    public void save(long position, String hash, Map<String, RecordState> records) {
        try {
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, PREFIX, ".partial");
            try (OutputStream out = Files.newOutputStream(partial);
                    JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeNumberField("position", position);
                json.writeStringField("hash", hash);
                json.writeArrayFieldStart("records");
                for (RecordState record : records.values()) {
                    json.writeStartObject();
                    json.writeStringField("id", record.id());
                    json.writeStringField("collection", record.collection());
                    json.writeNumberField("revision", record.revision());
                    json.writeStringField("createdAt", record.createdAt().toString());
                    json.writeStringField("updatedAt", record.updatedAt().toString());
                    json.writeObjectFieldStart("fields");
                    for (Map.Entry<String, String> field : record.fields().entrySet()) {
                        json.writeStringField(field.getKey(), field.getValue());
                    }
                    json.writeEndObject();
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            Files.move(partial, fileOf(position), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            List<Long> all = positions();
            for (int i = 0; i < all.size() - keep; i++) {
                Files.deleteIfExists(fileOf(all.get(i)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save a checkpoint of the records in " + directory, e);
        }
    }

    private Checkpoint read(long position) {
        try (InputStream in = Files.newInputStream(fileOf(position));
                JsonParser json = Json.MAPPER.getFactory().createParser(in)) {
            long at = -1;
            String hash = null;
            Map<String, RecordState> records = new HashMap<>();
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                switch (name) {
                    case "position" -> at = json.getLongValue();
                    case "hash" -> hash = json.getText();
                    case "records" -> {
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            RecordState record = readRecord(json);
                            records.put(record.id(), record);
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            return new Checkpoint(at, hash, records);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("the checkpoint " + fileOf(position) + " is unreadable", e));
        }
    }

    private static RecordState readRecord(JsonParser json) throws IOException {
        String id = null;
        String collection = null;
        long revision = 0;
        Instant created = null;
        Instant updated = null;
        SequencedMap<String, String> fields = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            switch (name) {
                case "id" -> id = json.getText();
                case "collection" -> collection = json.getText();
                case "revision" -> revision = json.getLongValue();
                case "createdAt" -> created = Instant.parse(json.getText());
                case "updatedAt" -> updated = Instant.parse(json.getText());
                case "fields" -> {
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String field = json.currentName();
                        json.nextToken();
                        fields.put(field, json.getText());
                    }
                }
                default -> json.skipChildren();
            }
        }
        return new RecordState(id, collection, fields, revision, created, updated);
    }

    private List<Long> positions() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Long> positions = new ArrayList<>();
            files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith(PREFIX) && name.endsWith(SUFFIX))
                    .forEach(name -> {
                        try {
                            positions.add(Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length())));
                        } catch (NumberFormatException notOurs) {
                            // Some other file; not a checkpoint.
                        }
                    });
            positions.sort(Comparator.naturalOrder());
            return positions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + directory, e);
        }
    }

    private Path fileOf(long position) {
        return directory.resolve(PREFIX + position + SUFFIX);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
