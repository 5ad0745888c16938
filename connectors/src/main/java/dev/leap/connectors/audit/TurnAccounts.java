package dev.leap.connectors.audit;

import dev.leap.agent.inbox.MessageReceived;
import dev.leap.agent.turn.TurnEvent.TurnCompleted;
import dev.leap.agent.turn.TurnEvent.TurnStarted;
import dev.leap.connectors.audit.TurnAccount.Delivery;
import dev.leap.connectors.audit.TurnAccount.Message;
import dev.leap.connectors.audit.TurnAccount.Reversal;
import dev.leap.connectors.audit.TimelinePage.TurnSummary;
import dev.leap.connectors.audit.TurnStream.Step;
import dev.leap.store.EventLog;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Provenance;
import dev.leap.tools.undo.TurnReverted;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Gives the account of one turn from the stored events alone, reading only what belongs to it: the
 * turn's own stream, and each event it names by id (its message, its changes, the compensations of
 * its reverts). The cost depends on the turn, never on the length of the log.
 */
public final class TurnAccounts {

    /** The most changes one page of an account lists. */
    public static final int MAX_CHANGES = 500;
    static final int ONE_LINE = 160;

    private final EventLog log;

    public TurnAccounts(EventLog log) {
        this.log = log;
    }

    /**
     * @param changesFrom  the index of the first change to list
     * @param changesLimit how many changes to list at most (also for each revert's compensations)
     * @throws AuditException.NotFound if the log has no such turn
     */
    public TurnAccount account(UUID turnId, int changesFrom, int changesLimit) {
        if (changesFrom < 0) {
            throw new IllegalArgumentException("'changesFrom' is an index, 0 or more");
        }
        if (changesLimit < 1 || changesLimit > MAX_CHANGES) {
            throw new IllegalArgumentException("'changesLimit' is between 1 and " + MAX_CHANGES);
        }
        TurnStream turn = TurnStream.read(log, turnId);
        if (!turn.exists()) {
            throw new AuditException.NotFound("turn", turnId.toString(), "");
        }
        Reading reading = new Reading(new Standing(log), new ChangeSentences(log), changesFrom, changesLimit);
        return turn.isRevert() ? revertAccount(turn, reading) : messageAccount(turn, reading);
    }

    /** What one account reads with: shared, so that a turn met twice is read once. */
    private record Reading(Standing standing, ChangeSentences sentences, int from, int limit) {

        /** The same reading, for lists of which only the first page is shown. */
        Reading firstPage() {
            return new Reading(standing, sentences, 0, limit);
        }
    }

    /** The turn as the timeline lists it. */
    TurnSummary summary(UUID turnId, Standing standing) {
        TurnStream turn = TurnStream.read(log, turnId);
        String id = turnId.toString();
        boolean stands = standing.stands(id);
        Provenance why = EventBody.provenance(turn.first());
        String startedAt = Times.iso(turn.first().recordedAt());
        if (turn.isRevert()) {
            Optional<Step<TurnReverted>> done = revertOf(turn);
            return new TurnSummary(id, "revert", revertStatus(turn, done), startedAt, why.actor().json(), why.channel(),
                    null, turn.request().value().target(), null, done.map(d -> d.value().compensations().size() + 1).orElse(0),
                    stands, turn.lastRevertedBy());
        }
        TurnStarted started = turn.started().value();
        TurnCompleted completed = turn.completed() == null ? null : turn.completed().value();
        String text = messageOf(started).map(event -> MessageReceived.fromEvent(event).message().text()).orElse(null);
        return new TurnSummary(id, "message", messageStatus(completed), startedAt, why.actor().json(), started.channel(),
                oneLine(text), null, completed == null ? null : oneLine(completed.reply()),
                completed == null ? 0 : completed.changes().size(), stands, turn.lastRevertedBy());
    }

    private TurnAccount messageAccount(TurnStream turn, Reading reading) {
        TurnStarted started = turn.started().value();
        Provenance why = EventBody.provenance(turn.started().event());
        Message message = messageOf(started).map(TurnAccounts::message).orElse(null);
        Step<TurnCompleted> end = turn.completed();
        TurnCompleted completed = end == null ? null : end.value();
        List<UUID> changes = changeIds(turn);
        return new TurnAccount(turn.turnId().toString(), "message", messageStatus(completed),
                Times.iso(turn.first().recordedAt()),
                end == null ? null : Times.iso(end.event().recordedAt()), why.actor().json(), started.channel(),
                started.chatId(), why.model(), message, null,
                completed == null ? List.of() : completed.modelCalls(),
                completed == null ? List.of() : completed.toolCalls(),
                page(changes, reading), changes.size(), next(changes.size(), reading),
                completed == null ? null : completed.answer(), completed == null ? null : completed.reply(),
                completed == null ? null : completed.problem(),
                turn.sent() == null ? null : new Delivery(Times.iso(turn.sent().event().recordedAt()),
                        turn.sent().value().parts()),
                reversals(turn, reading), reading.standing().stands(turn.turnId().toString()));
    }

    private TurnAccount revertAccount(TurnStream turn, Reading reading) {
        String revertId = turn.turnId().toString();
        String target = turn.request().value().target();
        Provenance why = EventBody.provenance(turn.request().event());
        Optional<Step<TurnReverted>> done = revertOf(turn);
        List<UUID> changes = changeIds(turn);
        RecordedEvent end = done.map(Step::event).orElse(turn.failed() == null ? null : turn.failed().event());
        return new TurnAccount(revertId, "revert", revertStatus(turn, done), Times.iso(turn.first().recordedAt()),
                end == null ? null : Times.iso(end.recordedAt()), why.actor().json(), why.channel(), null, null, null,
                target, List.of(), List.of(), page(changes, reading), changes.size(), next(changes.size(), reading),
                null, null, turn.failed() == null ? null : turn.failed().value().reason(), null,
                reversals(turn, reading), reading.standing().stands(revertId));
    }

    /**
     * Every event behind a turn: its message, its own stream and the events it appended.
     *
     * @throws AuditException.NotFound if the log has no such turn
     */
    List<RecordedEvent> eventsBehind(UUID turnId) {
        TurnStream turn = TurnStream.read(log, turnId);
        if (!turn.exists()) {
            throw new AuditException.NotFound("turn", turnId.toString(), "");
        }
        List<RecordedEvent> events = new ArrayList<>(turn.events());
        if (turn.started() != null) {
            log.readEvent(turn.started().value().messageId()).ifPresent(events::add);
        }
        for (UUID id : changeIds(turn)) {
            log.readEvent(id).ifPresent(events::add);
        }
        return events;
    }

    /**
     * The ids of the events a turn appended: those its completion names, or for an auditor's revert,
     * its compensations and the {@code TurnReverted} that lists them.
     */
    private List<UUID> changeIds(TurnStream turn) {
        if (!turn.isRevert()) {
            return turn.completed() == null ? List.of() : turn.completed().value().changes();
        }
        List<UUID> ids = new ArrayList<>();
        revertOf(turn).ifPresent(reversal -> {
            ids.addAll(reversal.value().compensations());
            ids.add(reversal.event().id());
        });
        return ids;
    }

    private static String messageStatus(TurnCompleted completed) {
        return completed == null ? "in progress" : completed.problem() == null ? "completed" : "failed";
    }

    private static String revertStatus(TurnStream revert, Optional<Step<TurnReverted>> done) {
        return done.isPresent() ? "completed" : revert.failed() != null ? "failed" : "in progress";
    }

    /** The owner's message a turn answers. */
    private Optional<RecordedEvent> messageOf(TurnStarted started) {
        return log.readEvent(started.messageId()).filter(event -> MessageReceived.TYPE.equals(event.type()));
    }

    /** What an auditor's revert left in the reverted turn's stream, once it is done. */
    private Optional<Step<TurnReverted>> revertOf(TurnStream revert) {
        String revertId = revert.turnId().toString();
        return Optional.ofNullable(TurnIds.parse(revert.request().value().target()))
                .map(target -> TurnStream.read(log, target).reversals()).orElse(List.of()).stream()
                .filter(reversal -> reversal.value().revertedBy().equals(revertId))
                .findFirst();
    }

    /** Text on one line, cut to {@value #ONE_LINE} characters. */
    static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= ONE_LINE ? line : line.substring(0, ONE_LINE - 1) + "…";
    }

    private List<Reversal> reversals(TurnStream turn, Reading reading) {
        List<Reversal> reversals = new ArrayList<>();
        for (Step<TurnReverted> step : turn.reversals()) {
            String by = step.value().revertedBy();
            UUID byId = TurnIds.parse(by);
            String kind = byId == null ? "system" : TurnStream.read(log, byId).isRevert() ? "revert" : "message";
            List<UUID> compensations = step.value().compensations();
            reversals.add(new Reversal(by, kind, EventBody.provenance(step.event()).actor().json(),
                    Times.iso(step.event().recordedAt()),
                    page(compensations, reading.firstPage()),
                    compensations.size(), by.isBlank() || reading.standing().stands(by)));
        }
        return reversals;
    }

    /** The changes of the page asked for, each read by its id. */
    private List<Change> page(List<UUID> ids, Reading reading) {
        List<Change> changes = new ArrayList<>();
        for (UUID id : ids.subList(Math.min(reading.from(), ids.size()), Math.min(ids.size(), reading.from() + reading.limit()))) {
            changes.add(log.readEvent(id)
                    .map(event -> Change.of(event, reading.sentences().of(event)))
                    .orElseGet(() -> missing(id)));
        }
        return changes;
    }

    private static Integer next(int total, Reading reading) {
        return reading.from() + reading.limit() < total ? reading.from() + reading.limit() : null;
    }

    /** An id the turn names that the log does not hold: shown, never skipped, because it should not happen. */
    private static Change missing(UUID id) {
        return new Change(-1, null, -1, id.toString(), "Missing", null, null, null, null,
                "This event is named by the turn but is not in the log.", null);
    }

    static Message message(RecordedEvent event) {
        MessageReceived received = MessageReceived.fromEvent(event);
        return new Message(event.id().toString(), event.position(), event.stream(), Times.iso(event.recordedAt()),
                received.message().sender(), received.message().text(), received.message().quoted(),
                EventBody.json(event.data()).get("attachment"));
    }
}
