package dev.leap.connectors.service;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Settings Leap's own commands write, kept in {@code leap.properties} in the data directory:
 * {@code ./leap model use} records the chosen model there. They override the built-in defaults
 * but not environment variables or system properties, which stay the way to override anything.
 */
public final class SettingsFile implements ConfigSource {

    public static final String FILE_NAME = "leap.properties";
    /** Above application.properties (250), below environment variables (300). */
    static final int ORDINAL = 275;

    private final Path file;
    private final Map<String, String> values;

    /** The settings file of the data directory the environment names; used by the service. */
    public SettingsFile() {
        this(DataDirectory.of(System.getenv()).resolve(FILE_NAME));
    }

    public SettingsFile(Path file) {
        this.file = file;
        this.values = read(file);
    }

    /** Sets keys and writes the file, keeping the other settings in it. */
    public SettingsFile with(Map<String, String> changes) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(changes);
        Properties properties = new Properties();
        properties.putAll(merged);
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(out, "Written by ./leap; environment variables override these settings");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new SettingsFile(file);
    }

    @Override
    public Map<String, String> getProperties() {
        return values;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String name) {
        return values.get(name);
    }

    @Override
    public String getName() {
        return "Leap settings " + file;
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    private static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.forEach((key, value) -> values.put(key.toString(), value.toString()));
        return Map.copyOf(values);
    }
}
