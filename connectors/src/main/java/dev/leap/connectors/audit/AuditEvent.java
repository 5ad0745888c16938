package dev.leap.connectors.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.agent.turn.TurnEvent;
import dev.leap.store.EventData;
import dev.leap.store.EventIds;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import dev.leap.tools.Provenance;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What an auditor's revert records in a turn stream of its own, {@code turn-<revertId>}: the revert
 * is a turn whose actor is the auditor, so its compensations name it as their turn and it can be
 * reverted in its turn. Its outcome is the {@code TurnReverted} it leaves in the reverted turn's
 * stream, or a {@link RevertFailed} here.
 */
public sealed interface AuditEvent {

    UUID revertId();

    /** An auditor asked to revert {@code target}; recorded before anything is reversed. */
    record RevertRequested(UUID revertId, String target) implements AuditEvent {
        public static final String TYPE = "RevertRequested";

        public RevertRequested {
            Objects.requireNonNull(revertId, "revertId");
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * The revert stopped before it finished: refused (nothing was reversed), or failed part-way (the
     * compensations it did append name this revert as their turn).
     */
    record RevertFailed(UUID revertId, String reason) implements AuditEvent {
        public static final String TYPE = "RevertFailed";

        public RevertFailed {
            Objects.requireNonNull(revertId, "revertId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    static EventData encode(AuditEvent event, Provenance provenance) {
        var data = Json.MAPPER.createObjectNode().put("turnId", event.revertId().toString());
        String type = switch (event) {
            case RevertRequested requested -> {
                data.put("target", requested.target());
                yield RevertRequested.TYPE;
            }
            case RevertFailed failed -> {
                data.put("reason", failed.reason());
                yield RevertFailed.TYPE;
            }
        };
        // Derived ids: recording the same step of the same revert twice appends nothing.
        return new EventData(EventIds.fromName(type + ":" + event.revertId()), type, data.toString(), provenance.toJson());
    }

    static Optional<AuditEvent> decode(RecordedEvent event) {
        if (!event.stream().startsWith("turn-")) {
            return Optional.empty();
        }
        return switch (event.type()) {
            case RevertRequested.TYPE -> {
                JsonNode data = Json.parse(event.data());
                yield Optional.of(new RevertRequested(UUID.fromString(data.get("turnId").asText()), data.get("target").asText()));
            }
            case RevertFailed.TYPE -> {
                JsonNode data = Json.parse(event.data());
                yield Optional.of(new RevertFailed(UUID.fromString(data.get("turnId").asText()), data.get("reason").asText()));
            }
            default -> Optional.empty();
        };
    }

    static String stream(UUID revertId) {
        return TurnEvent.stream(revertId);
    }
}
