package dev.leap.connectors.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.agent.turn.TurnEvent;
import dev.leap.agent.turn.TurnEvent.ReplySent;
import dev.leap.agent.turn.TurnEvent.TurnCompleted;
import dev.leap.agent.turn.TurnEvent.TurnStarted;
import dev.leap.agent.turn.TurnEventCodec;
import dev.leap.connectors.audit.AuditEvent.RevertFailed;
import dev.leap.connectors.audit.AuditEvent.RevertRequested;
import dev.leap.store.ReadStream;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import dev.leap.tools.undo.TurnReverted;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Everything a turn's own stream, {@code turn-<id>}, says about it: how it began (a message, or an
 * auditor's request to revert), how it ended, whether its reply was delivered, and every revert of
 * it. One indexed read of a short stream; fields that did not happen are null.
 */
record TurnStream(UUID turnId, List<RecordedEvent> events, Step<TurnStarted> started, Step<RevertRequested> request, Step<TurnCompleted> completed,
        Step<ReplySent> sent, Step<RevertFailed> failed, List<Step<TurnReverted>> reversals) {

    /** One event of the stream, decoded, with the envelope it came in. */
    record Step<T>(T value, RecordedEvent event) {
    }

    TurnStream {
        events = List.copyOf(events);
        reversals = List.copyOf(reversals);
    }

    static TurnStream read(ReadStream log, UUID turnId) {
        Step<TurnStarted> started = null;
        Step<RevertRequested> request = null;
        Step<TurnCompleted> completed = null;
        Step<ReplySent> sent = null;
        Step<RevertFailed> failed = null;
        List<Step<TurnReverted>> reversals = new ArrayList<>();
        List<RecordedEvent> events = log.readStream(TurnEvent.stream(turnId));
        for (RecordedEvent event : events) {
            if (TurnReverted.TYPE.equals(event.type())) {
                reversals.add(new Step<>(reverted(event), event));
                continue;
            }
            var turnEvent = TurnEventCodec.decode(event);
            if (turnEvent.isPresent()) {
                switch (turnEvent.get()) {
                    case TurnStarted s -> started = new Step<>(s, event);
                    case TurnCompleted c -> completed = new Step<>(c, event);
                    case ReplySent r -> sent = new Step<>(r, event);
                }
                continue;
            }
            var auditEvent = AuditEvent.decode(event);
            if (auditEvent.isPresent()) {
                switch (auditEvent.get()) {
                    case RevertRequested r -> request = new Step<>(r, event);
                    case RevertFailed r -> failed = new Step<>(r, event);
                }
            }
        }
        return new TurnStream(turnId, events, started, request, completed, sent, failed, reversals);
    }

    /** Whether the log has this turn at all. */
    boolean exists() {
        return started != null || request != null;
    }

    boolean isRevert() {
        return started == null && request != null;
    }

    /** The event the turn began with. */
    RecordedEvent first() {
        return started != null ? started.event() : request.event();
    }

    /** The turn that reverted this one last, if any; a blank id means Leap itself. */
    String lastRevertedBy() {
        return reversals.isEmpty() ? null : reversals.getLast().value().revertedBy();
    }

    /**
     * The stored shape of {@code TurnReverted} (see {@link TurnReverted}); read here because the
     * tools module only writes it.
     */
    static TurnReverted reverted(RecordedEvent event) {
        JsonNode data = Json.parse(event.data());
        return new TurnReverted(data.get("turnId").asText(), data.path("revertedBy").asText(""),
                uuids(data.path("reversed")), uuids(data.path("compensations")));
    }

    private static List<UUID> uuids(JsonNode array) {
        List<UUID> ids = new ArrayList<>();
        array.forEach(id -> ids.add(UUID.fromString(id.asText())));
        return ids;
    }
}
