package dev.leap.tools.undo;

import dev.leap.store.AppendToStream;
import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordEvent;
import dev.leap.tools.records.RecordEvent.RecordCreated;
import dev.leap.tools.records.RecordEvent.RecordDeleted;
import dev.leap.tools.records.RecordEvent.RecordRestored;
import dev.leap.tools.records.RecordEvent.RecordUpdated;
import dev.leap.tools.records.RecordEventCodec;
import dev.leap.tools.records.RecordException;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.UUID;

/**
 * Undoes turns by appending their opposite: a created record is deleted, an update is reversed
 * field by field, a deleted record is restored. Each undone turn gets a {@link TurnReverted} in its
 * stream naming what was reversed and by what. Nothing is ever removed, so an undo can itself be
 * undone, and afterwards the records are exactly as they were before the undone turns.
 */
public final class UndoService {

    private final AppendToStream log;
    private final RecordProjection records;
    private final TurnIndex turns;

    public UndoService(AppendToStream log, RecordProjection records, TurnIndex turns) {
        this.log = log;
        this.records = records;
        this.turns = turns;
    }

    /** What an undo did. */
    public record Undone(List<String> turns, List<RecordEvent> compensations) {
        public Undone {
            turns = List.copyOf(turns);
            compensations = List.copyOf(compensations);
        }
    }

    /** Undoes the newest turn, other than the one asking, whose changes still stand. */
    public Undone undoLast(Provenance why) {
        String turn = turns.lastStandingTurn(why.turnId()).orElseThrow(
                () -> new RecordException.Invalid("there is nothing to undo: no earlier turn changed anything"));
        return undo(List.of(turn), why);
    }

    /**
     * Undoes one turn. Refused when a later turn that still stands changed the same records: undoing
     * the earlier one alone would lose or garble the later change.
     */
    public Undone undoTurn(String turnIdOrPrefix, Provenance why) {
        String turn = turns.turnStartingWith(turnIdOrPrefix.strip()).orElseThrow(
                () -> new RecordException.Invalid("no turn that changed anything has an id starting with '"
                        + turnIdOrPrefix + "'"));
        if (!turns.stands(turn)) {
            throw new RecordException.Invalid("turn " + shortId(turn) + " was already undone");
        }
        List<TurnIndex.Change> changes = turns.changesOf(turn);
        for (TurnIndex.Change change : changes) {
            for (TurnIndex.Change later : turns.historyOf(change.change().recordId())) {
                if (later.event().position() > change.event().position() && later.turnId() != null
                        && !later.turnId().equals(turn) && !later.turnId().equals(why.turnId()) && turns.stands(later.turnId())) {
                    throw new RecordException.Invalid("turn " + shortId(turn) + " cannot be undone alone: turn "
                            + shortId(later.turnId()) + " changed the same record later; undo everything since then instead");
                }
            }
        }
        return undo(List.of(turn), why);
    }

    /** Undoes every turn that changed something at or after {@code since}, newest first. */
    public Undone undoSince(Instant since, Provenance why) {
        List<String> standing = new ArrayList<>(turns.standingTurnsSince(since));
        standing.remove(why.turnId());
        if (standing.isEmpty()) {
            throw new RecordException.Invalid("nothing was changed since " + since);
        }
        return undo(standing.reversed(), why);
    }

    /** Reverses each turn's changes, newest change first, then marks the turn reverted. */
    private Undone undo(List<String> newestFirst, Provenance why) {
        List<RecordEvent> compensations = new ArrayList<>();
        for (String turn : newestFirst) {
            List<UUID> reversed = new ArrayList<>();
            List<UUID> appended = new ArrayList<>();
            for (TurnIndex.Change change : turns.changesOf(turn).reversed()) {
                Optional<RecordEvent> opposite = oppositeOf(change.change());
                if (opposite.isEmpty()) {
                    continue;
                }
                EventData event = RecordEventCodec.encode(opposite.get(), why);
                log.append(RecordEvent.stream(change.change().recordId()), expectedFor(change.change().recordId()), event);
                records.catchUp();
                reversed.add(change.event().id());
                appended.add(event.id());
                compensations.add(opposite.get());
            }
            log.append(TurnReverted.streamOf(turn), ExpectedRevision.any(),
                    new TurnReverted(turn, why.turnId() == null ? "" : why.turnId(), reversed, appended).toEvent(why));
        }
        return new Undone(newestFirst, compensations);
    }

    /** The event that takes the record back to how it was before {@code change}, given how it is now. */
    private Optional<RecordEvent> oppositeOf(RecordEvent change) {
        Optional<RecordState> now = records.get(change.recordId());
        return switch (change) {
            case RecordCreated created -> now.map(r -> new RecordDeleted(r.id(), r.collection(), r.fields()));
            case RecordRestored restored -> now.map(r -> new RecordDeleted(r.id(), r.collection(), r.fields()));
            case RecordDeleted deleted -> now.isPresent()
                    ? Optional.empty()
                    : Optional.of(new RecordRestored(deleted.recordId(), deleted.collection(), deleted.fields()));
            case RecordUpdated updated -> now.flatMap(r -> reverse(updated, r));
        };
    }

    private static Optional<RecordEvent> reverse(RecordUpdated updated, RecordState now) {
        SequencedMap<String, String> set = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        SequencedMap<String, String> before = new LinkedHashMap<>();
        Set<String> touched = new LinkedHashSet<>(updated.set().keySet());
        touched.addAll(updated.removed());
        for (String field : touched) {
            String then = updated.before().get(field);
            String current = now.fields().get(field);
            if (then == null && current != null) {
                removed.add(field);
                before.put(field, current);
            } else if (then != null && !then.equals(current)) {
                set.put(field, then);
                if (current != null) {
                    before.put(field, current);
                }
            }
        }
        if (set.isEmpty() && removed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RecordUpdated(now.id(), now.collection(), set, removed, before));
    }

    private ExpectedRevision expectedFor(String recordId) {
        return records.get(recordId).map(r -> ExpectedRevision.exactly(r.revision())).orElse(ExpectedRevision.streamExists());
    }

    /** The short form of a turn id the owner sees. */
    public static String shortId(String turnId) {
        return turnId.length() > 8 ? turnId.substring(0, 8) : turnId;
    }
}
