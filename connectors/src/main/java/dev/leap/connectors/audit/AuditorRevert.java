package dev.leap.connectors.audit;

import dev.leap.connectors.audit.AuditEvent.RevertFailed;
import dev.leap.connectors.audit.AuditEvent.RevertRequested;
import dev.leap.store.AppendToStream;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.ReadStream;
import dev.leap.tools.Actor;
import dev.leap.tools.Provenance;
import dev.leap.tools.records.RecordException;
import dev.leap.tools.undo.TurnIndex;
import dev.leap.tools.undo.UndoService;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An auditor reverts a turn: the compensating events come from {@link UndoService}, as for the
 * owner's "undo", but the revert is a turn of its own — actor auditor, channel {@value #CHANNEL} —
 * recorded in its own stream before anything is reversed. Its compensations name it as their turn,
 * so it shows in the timeline, and it can be reverted in its turn.
 */
public final class AuditorRevert {

    /** The channel an auditor's revert comes through. */
    public static final String CHANNEL = "audit";

    private final AppendToStream log;
    private final ReadStream streams;
    private final Supplier<TurnIndex> turns;
    private final Supplier<UndoService> undo;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    /** The index and the undo service are asked for only when a revert is made: folding them reads the whole log. */
    public AuditorRevert(AppendToStream log, ReadStream streams, Supplier<TurnIndex> turns, Supplier<UndoService> undo) {
        this.log = log;
        this.streams = streams;
        this.turns = turns;
        this.undo = undo;
    }

    /**
     * Reverts the turn named by its id or the start of it, and returns the id of the revert.
     *
     * @throws AuditException.NotFound if no turn has that id
     * @throws AuditException.Refused  if the turn changed nothing, was reverted already, or a later turn
     *                                 that still stands changed the same records
     */
    public UUID revert(String turnIdOrPrefix) {
        oneAtATime.lock();
        try {
            String target = target(turnIdOrPrefix);
            UUID revertId = UUID.randomUUID();
            Provenance why = new Provenance(revertId.toString(), null, null, Actor.AUDITOR, CHANNEL, null);
            String stream = AuditEvent.stream(revertId);
            log.append(stream, ExpectedRevision.noStream(), AuditEvent.encode(new RevertRequested(revertId, target), why));
            try {
                undo.get().undoTurn(target, why);
            } catch (RuntimeException e) {
                log.append(stream, ExpectedRevision.exactly(0),
                        AuditEvent.encode(new RevertFailed(revertId, String.valueOf(e.getMessage())), why));
                throw e instanceof RecordException ? new AuditException.Refused(target, e.getMessage()) : e;
            }
            return revertId;
        } finally {
            oneAtATime.unlock();
        }
    }

    /** Checked before anything is recorded, so that a mistyped id or a second click leaves no trace. */
    private String target(String turnIdOrPrefix) {
        String wanted = turnIdOrPrefix == null ? "" : turnIdOrPrefix.strip().toLowerCase(Locale.ROOT);
        if (wanted.length() < TurnIds.SHORTEST_PREFIX) {
            throw new IllegalArgumentException("a turn is named by its id, or by at least its first "
                    + TurnIds.SHORTEST_PREFIX + " characters, not '" + wanted + "'");
        }
        TurnIndex index = turns.get();
        String target = index.turnStartingWith(wanted).orElse(null);
        if (target == null) {
            UUID id = TurnIds.parse(wanted);
            if (id != null && TurnStream.read(streams, id).exists()) {
                throw new AuditException.Refused(wanted, "turn " + UndoService.shortId(wanted)
                        + " changed nothing, so there is nothing to revert");
            }
            throw new AuditException.NotFound("turn", turnIdOrPrefix,
                    "no single turn that changed anything has an id starting with it");
        }
        if (!index.stands(target)) {
            throw new AuditException.Refused(target, "turn " + UndoService.shortId(target) + " was already reverted");
        }
        return target;
    }
}
