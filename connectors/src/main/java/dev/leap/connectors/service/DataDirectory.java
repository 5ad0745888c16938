package dev.leap.connectors.service;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Leap keeps its data, decided the same way by the service and by the commands that run
 * without it (chat, model): {@code LEAP_DATA_DIR}, else the {@code leap.data-dir} system
 * property, else {@code ~/.leap}.
 */
public final class DataDirectory {

    private DataDirectory() {
    }

    public static Path of(Map<String, String> env) {
        String configured = env.get("LEAP_DATA_DIR");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("leap.data-dir");
        }
        if (configured == null || configured.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".leap");
        }
        return Path.of(configured);
    }
}
