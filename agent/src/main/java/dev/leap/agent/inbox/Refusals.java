package dev.leap.agent.inbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leap.store.AppendToStream;
import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Records every refused sender: channel, sender, chat and reason — never what they wrote. A
 * stranger who keeps knocking must not be able to fill the owner's disk, so the same sender refused
 * for the same reason is recorded at most once a minute; the next record counts the refusals in between.
 */
public final class Refusals {

    public static final String TYPE = "SenderRefused";
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int REMEMBERED = 10_000;

    private final AppendToStream log;
    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > REMEMBERED;
        }
    };

    public Refusals(AppendToStream log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Records a refusal, unless the same one was recorded less than a minute ago (then counts it). */
    public synchronized void refuse(String channel, String sender, String chatId, String reason) {
        String key = channel + "\u0000" + sender + "\u0000" + reason;
        Instant now = clock.instant();
        Window window = windows.get(key);
        if (window != null && now.isBefore(window.recordedAt().plus(WINDOW))) {
            windows.put(key, new Window(window.recordedAt(), window.suppressed() + 1));
            return;
        }
        ObjectNode data = Json.MAPPER.createObjectNode()
                .put("channel", channel)
                .put("sender", sender)
                .put("chatId", chatId)
                .put("reason", reason)
                .put("refusedSinceLastRecord", window == null ? 0 : window.suppressed());
        log.append("refusals-" + channel, ExpectedRevision.any(),
                new EventData(UUID.randomUUID(), TYPE, data.toString(), Provenance.system().toJson()));
        windows.put(key, new Window(now, 0));
    }

    private record Window(Instant recordedAt, int suppressed) {
    }
}
