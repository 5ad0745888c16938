package dev.leap.connectors.audit;

import dev.leap.agent.inbox.MessageReceived;
import dev.leap.connectors.audit.HistoryPage.Cause;
import dev.leap.connectors.audit.HistoryPage.Entry;
import dev.leap.store.Direction;
import dev.leap.store.EventLog;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordEvent;
import dev.leap.tools.records.RecordEventCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every event of one record, each with the turn and the message behind it: the record's own stream,
 * then for each event the turn its metadata names and the message that turn answered, all read by
 * stream or by id.
 */
public final class RecordHistory {

    public static final int MAX_LIMIT = 500;

    private final EventLog log;

    public RecordHistory(EventLog log) {
        this.log = log;
    }

    /**
     * @param fromRevision the first revision of the record's stream to list
     * @throws AuditException.NotFound if the log has no events of this record
     */
    public HistoryPage of(String recordId, long fromRevision, int limit) {
        if (fromRevision < 0) {
            throw new IllegalArgumentException("'from' is a revision, 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("'limit' is between 1 and " + MAX_LIMIT);
        }
        String stream = stream(recordId);
        List<RecordedEvent> last = log.readStream(stream, Long.MAX_VALUE, 1, Direction.BACKWARDS);
        if (last.isEmpty()) {
            throw new AuditException.NotFound("record", recordId, "");
        }
        Reading reading = new Reading(new Standing(log), new ChangeSentences(log), new HashMap<>(), new HashMap<>());
        List<Entry> entries = new ArrayList<>();
        for (RecordedEvent event : log.readStream(stream, fromRevision, limit, Direction.FORWARDS)) {
            entries.add(new Entry(event.position(), event.revision(), event.id().toString(), event.type(),
                    Times.iso(event.recordedAt()), reading.sentences().of(event), EventBody.json(event.data()),
                    cause(event, reading)));
        }
        long lastRevision = last.getFirst().revision();
        Long next = entries.isEmpty() || entries.getLast().revision() >= lastRevision ? null : entries.getLast().revision() + 1;
        String collection = RecordEventCodec.decode(last.getFirst()).map(RecordEvent::collection).orElse(null);
        return new HistoryPage(recordId, collection, "RecordDeleted".equals(last.getFirst().type()), entries, next);
    }

    /** What one page reads with, so that a turn or message behind several events is read once. */
    private record Reading(Standing standing, ChangeSentences sentences, Map<UUID, TurnStream> turns,
            Map<UUID, String> messages) {
    }

    private Cause cause(RecordedEvent event, Reading reading) {
        Provenance why = EventBody.provenance(event);
        UUID turnId = TurnIds.parse(why.turnId());
        if (turnId == null) {
            return new Cause(why.turnId(), "none", why.actor().json(), why.channel(), why.model(), why.toolCallId(),
                    null, null, null, true);
        }
        TurnStream turn = reading.turns().computeIfAbsent(turnId, id -> TurnStream.read(log, id));
        boolean stands = reading.standing().stands(why.turnId());
        if (turn.isRevert()) {
            return new Cause(why.turnId(), "revert", why.actor().json(), why.channel(), null, null, null, null,
                    turn.request().value().target(), stands);
        }
        UUID messageId = turn.started() != null ? turn.started().value().messageId() : TurnIds.parse(why.messageId());
        String message = messageId == null ? null : reading.messages().computeIfAbsent(messageId, this::textOf);
        return new Cause(why.turnId(), "message", why.actor().json(), why.channel(), why.model(), why.toolCallId(),
                messageId == null ? null : messageId.toString(), message, null, stands);
    }

    private String textOf(UUID messageId) {
        return log.readEvent(messageId)
                .filter(event -> MessageReceived.TYPE.equals(event.type()))
                .map(event -> MessageReceived.fromEvent(event).message().text())
                .orElse(null);
    }

    private static String stream(String recordId) {
        try {
            return dev.leap.store.StreamName.check(RecordEvent.stream(recordId == null ? "" : recordId.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + recordId + "' is not a record id");
        }
    }
}
