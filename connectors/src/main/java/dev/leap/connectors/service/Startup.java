package dev.leap.connectors.service;

import dev.leap.agent.Agent;
import dev.leap.agent.model.ModelSettings;
import dev.leap.agent.model.ModelUnavailableException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import dev.leap.agent.owners.Pairing;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Brings everything up when the service starts rather than on the first message: the tokens are
 * created, the model is loaded (and downloaded, with progress, the first time), and the work the
 * last run left unfinished is resumed, before Leap says it is ready and connectors start pulling
 * messages. A model that cannot be had stops the service with the explanation, not a stack trace.
 */
@Singleton
public class Startup {

    private static final Logger LOG = Logger.getLogger(Startup.class);

    private final LeapConfig config;
    private final ModelSettings model;
    private final Tokens tokens;
    private final Instance<Agent> agent;
    private final List<Pairing> pairings;
    private final Event<LeapReady> readyEvent;
    private final String host;
    private final int port;
    private volatile boolean ready;
    private volatile ModelUnavailableException failure;

    public Startup(LeapConfig config, ModelSettings model, Tokens tokens, Instance<Agent> agent, List<Pairing> pairings,
            Event<LeapReady> readyEvent, @ConfigProperty(name = "quarkus.http.host") String host, @ConfigProperty(name = "quarkus.http.port") int port) {
        this.config = config;
        this.model = model;
        this.tokens = tokens;
        this.agent = agent;
        this.pairings = pairings;
        this.readyEvent = readyEvent;
        this.host = host;
        this.port = port;
    }

    /** Whether the model is loaded and messages can be answered. */
    public boolean ready() {
        return ready;
    }

    /** Why Leap could not start, if it could not. */
    public Optional<ModelUnavailableException> failure() {
        return Optional.ofNullable(failure);
    }

    void onStart(@Observes StartupEvent event) {
        bringUp();
    }

    /** Loads everything; false if the model cannot be had ({@link #failure()} says why). */
    boolean bringUp() {
        LOG.infof("Data directory: %s", config.dataDir().toAbsolutePath());
        LOG.infof("Model: %s (%s)", model.name(), model.provider().name().toLowerCase(Locale.ROOT));
        try {
            agent.get().resume();
        } catch (ModelUnavailableException e) {
            failure = e;
            return false;
        }
        readyEvent.fire(new LeapReady());
        ready = true;
        pairings.forEach(pairing -> LOG.warn(pairing.instructions()));
        LOG.infof("Leap is ready on http://%s:%d. Chat with ./leap chat; the API's owner token is %s",
                host, port, tokens.ownerSource(config.dataDir()));
        return true;
    }
}
