package dev.leap.agent.turn;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What the owner is told at the end of a turn.
 *
 * @param text    the whole reply: the model's answer, then the changes as read back from the log
 * @param changes one plain sentence per change the turn committed
 */
public record Reply(UUID turnId, String text, List<String> changes) {

    public Reply {
        Objects.requireNonNull(turnId, "turnId");
        Objects.requireNonNull(text, "text");
        changes = List.copyOf(changes);
    }
}
