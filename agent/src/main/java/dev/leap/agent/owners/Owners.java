package dev.leap.agent.owners;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.store.AppendToStream;
import dev.leap.store.EventData;
import dev.leap.store.EventIds;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.ReadAll;
import dev.leap.store.ReadAhead;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who the owner is on each channel: the identities configured, and those paired since (each an
 * {@code OwnerPaired} event in the {@code owners} stream). Fails closed: a channel with neither
 * admits nobody.
 */
public final class Owners {

    public static final String STREAM = "owners";
    public static final String PAIRED = "OwnerPaired";

    private final AppendToStream appender;
    private final ReadAll log;
    private final Map<String, Set<String>> configured;
    private final Map<String, Set<String>> paired = new HashMap<>();
    private long nextPosition;

    /** @param configured owner identities per channel, from configuration */
    public Owners(AppendToStream appender, ReadAll log, Map<String, Set<String>> configured) {
        this.appender = appender;
        this.log = log;
        this.configured = Map.copyOf(configured);
    }

    public synchronized boolean isOwner(String channel, String sender) {
        catchUp();
        return configured.getOrDefault(channel, Set.of()).contains(sender)
                || paired.getOrDefault(channel, Set.of()).contains(sender);
    }

    public synchronized boolean hasOwner(String channel) {
        catchUp();
        return !configured.getOrDefault(channel, Set.of()).isEmpty() || !paired.getOrDefault(channel, Set.of()).isEmpty();
    }

    /** Records {@code sender} as the owner on {@code channel}; pairing the same sender again records nothing. */
    public synchronized void pair(String channel, String sender, String chatId) {
        String data = Json.MAPPER.createObjectNode().put("channel", channel).put("sender", sender).put("chatId", chatId)
                .toString();
        appender.append(STREAM, ExpectedRevision.any(), new EventData(EventIds.fromName(PAIRED + ":" + channel + ":" + sender),
                PAIRED, data, Provenance.system().toJson()));
        catchUp();
    }

    private void catchUp() {
        try (ReadAhead pages = new ReadAhead(log, nextPosition)) {
            for (RecordedEvent event : pages.events()) {
                if (PAIRED.equals(event.type()) && STREAM.equals(event.stream())) {
                    JsonNode data = Json.parse(event.data());
                    paired.computeIfAbsent(data.get("channel").asText(), c -> new HashSet<>()).add(data.get("sender").asText());
                }
                nextPosition = event.position() + 1;
            }
        }
    }
}
