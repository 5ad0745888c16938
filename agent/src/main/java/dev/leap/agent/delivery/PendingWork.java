package dev.leap.agent.delivery;

import dev.leap.agent.inbox.MessageReceived;
import dev.leap.agent.turn.TurnEvent.ReplySent;
import dev.leap.agent.turn.TurnEvent.TurnCompleted;
import dev.leap.agent.turn.TurnEventCodec;
import dev.leap.agent.turn.TurnRunner;
import dev.leap.store.ReadAll;
import dev.leap.store.ReadAhead;
import dev.leap.store.RecordedEvent;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.UUID;

/**
 * What is left to do, read from the log: messages received but not answered, and replies made but
 * not delivered. After a crash this is exactly the work to resume; in normal running both stay
 * empty but for the turn in progress.
 */
public final class PendingWork {

    private final ReadAll log;
    private final Map<UUID, MessageReceived> unanswered = new LinkedHashMap<>();
    private final SequencedSet<UUID> undelivered = new LinkedHashSet<>();
    private long nextPosition;

    public PendingWork(ReadAll log) {
        this.log = log;
    }

    /** Messages without a completed turn, oldest first, keyed by their turn. */
    public synchronized List<MessageReceived> unanswered() {
        catchUp();
        return List.copyOf(unanswered.values());
    }

    /** Turns whose reply has no {@code ReplySent}, oldest first. */
    public synchronized List<UUID> undelivered() {
        catchUp();
        return List.copyOf(undelivered);
    }

    private void catchUp() {
        try (ReadAhead pages = new ReadAhead(log, nextPosition)) {
            for (RecordedEvent event : pages.events()) {
                apply(event);
                nextPosition = event.position() + 1;
            }
        }
    }

    private void apply(RecordedEvent event) {
        if (MessageReceived.TYPE.equals(event.type())) {
            MessageReceived message = MessageReceived.fromEvent(event);
            unanswered.put(TurnRunner.turnIdOf(message), message);
            return;
        }
        TurnEventCodec.decode(event).ifPresent(turnEvent -> {
            switch (turnEvent) {
                case TurnCompleted completed -> {
                    unanswered.remove(completed.turnId());
                    undelivered.add(completed.turnId());
                }
                case ReplySent sent -> undelivered.remove(sent.turnId());
                default -> {
                }
            }
        });
    }
}
