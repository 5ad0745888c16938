package dev.leap.agent.delivery;

import dev.leap.agent.turn.TurnEvent;
import dev.leap.agent.turn.TurnEvent.ReplySent;
import dev.leap.agent.turn.TurnEvent.TurnCompleted;
import dev.leap.agent.turn.TurnEvent.TurnStarted;
import dev.leap.agent.turn.TurnEventCodec;
import dev.leap.store.EventLog;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Provenance;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers replies and records each delivery with {@code ReplySent}, so that a reply is sent once:
 * a turn whose reply is recorded as sent is never sent again, and one that is not is sent after a
 * restart. Only a crash between a channel accepting a reply and the append of {@code ReplySent}
 * can repeat one; channels that can deduplicate on the turn id avoid even that.
 */
public final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final EventLog log;
    private final Map<String, ReplyChannel> channels;

    public Outbox(EventLog log, List<ReplyChannel> channels) {
        this.log = log;
        this.channels = channels.stream().collect(Collectors.toMap(ReplyChannel::channel, Function.identity()));
    }

    /**
     * Delivers the reply of a completed turn unless it was delivered before.
     *
     * @return true if the reply is (now) recorded as delivered
     */
    public synchronized boolean deliver(UUID turnId) {
        String stream = TurnEvent.stream(turnId);
        TurnStarted started = null;
        TurnCompleted completed = null;
        for (RecordedEvent event : log.readStream(stream)) {
            Optional<TurnEvent> decoded = TurnEventCodec.decode(event);
            if (decoded.isEmpty()) {
                continue;
            }
            switch (decoded.get()) {
                case TurnStarted s -> started = s;
                case TurnCompleted c -> completed = c;
                case ReplySent sent -> {
                    return true;
                }
            }
        }
        if (started == null || completed == null) {
            throw new IllegalStateException("turn " + turnId + " has no completed reply to deliver");
        }
        ReplyChannel channel = channels.get(started.channel());
        if (channel == null) {
            LOG.warn("no connector for channel {} is running; the reply of turn {} waits", started.channel(), turnId);
            return false;
        }
        int parts;
        try {
            parts = channel.send(started.chatId(), completed.reply(), turnId);
        } catch (RuntimeException e) {
            LOG.warn("delivering the reply of turn {} to {} failed; it will be tried again: {}", turnId,
                    started.channel(), e.toString());
            return false;
        }
        log.append(stream, ExpectedRevision.any(), TurnEventCodec.encode(
                new ReplySent(turnId, started.channel(), started.chatId(), parts), Provenance.system()));
        return true;
    }
}
