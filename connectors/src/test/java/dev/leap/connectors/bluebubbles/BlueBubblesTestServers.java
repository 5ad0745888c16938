package dev.leap.connectors.bluebubbles;

import dev.leap.connectors.ScriptedModelServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the service with a scripted model and a loopback BlueBubbles server. The owners come from
 * the resource argument {@code owners} (comma-separated handles and chat guids); none means the
 * service offers pairing.
 */
public final class BlueBubblesTestServers implements QuarkusTestResourceLifecycleManager {

    static final String WEBHOOK_SECRET = "webhook-secret-for-tests-0123456789";

    private static volatile LoopbackBlueBubbles blueBubbles;
    private final ScriptedModelServer model = new ScriptedModelServer();
    private String owners = "";

    static LoopbackBlueBubbles blueBubbles() {
        return blueBubbles;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        owners = initArgs.getOrDefault("owners", "");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(model.start());
        try {
            blueBubbles = new LoopbackBlueBubbles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("leap.bluebubbles.url", blueBubbles.url());
        config.put("leap.bluebubbles.password", LoopbackBlueBubbles.PASSWORD);
        config.put("leap.bluebubbles.webhook-secret", WEBHOOK_SECRET);
        if (!owners.isEmpty()) {
            config.put("leap.bluebubbles.owners", owners);
        }
        return config;
    }

    @Override
    public void stop() {
        model.stop();
        if (blueBubbles != null) {
            blueBubbles.close();
        }
    }
}
