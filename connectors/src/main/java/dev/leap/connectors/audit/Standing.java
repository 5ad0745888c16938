package dev.leap.connectors.audit;

import dev.leap.store.ReadStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Whether a turn's changes are in effect, worked out as the undo index does — never reverted, or
 * reverted by a turn whose own changes do not stand (an undone undo) — but from the turns' own
 * streams, so that answering reads a few short streams instead of folding the log. One instance
 * answers one request and remembers what it read.
 */
final class Standing {

    private final ReadStream log;
    private final Map<String, Boolean> known = new HashMap<>();
    private final Set<String> asking = new HashSet<>();

    Standing(ReadStream log) {
        this.log = log;
    }

    boolean stands(String turnId) {
        Boolean answer = known.get(turnId);
        if (answer != null) {
            return answer;
        }
        if (!asking.add(turnId)) {
            throw new IllegalStateException("the log's reverts go round in a circle at turn " + turnId);
        }
        try {
            boolean stands = decide(turnId);
            known.put(turnId, stands);
            return stands;
        } finally {
            asking.remove(turnId);
        }
    }

    private boolean decide(String turnId) {
        UUID id = TurnIds.parse(turnId);
        if (id == null) {
            return true; // not a turn of Leap's, so nothing can have reverted it
        }
        String by = TurnStream.read(log, id).lastRevertedBy();
        if (by == null) {
            return true;
        }
        return !by.isBlank() && !stands(by);
    }
}
