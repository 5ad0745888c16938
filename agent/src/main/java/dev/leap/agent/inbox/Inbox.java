package dev.leap.agent.inbox;

import dev.leap.store.AppendResult;
import dev.leap.store.AppendToStream;
import dev.leap.store.ExpectedRevision;

/** Records messages from the owner. A connector acknowledges a message only after this returns. */
public final class Inbox {

    private final AppendToStream log;

    public Inbox(AppendToStream log) {
        this.log = log;
    }

    /**
     * Appends {@code MessageReceived} durably. Receiving the same channel message again appends
     * nothing and returns the original position.
     */
    public Received receive(IncomingMessage message) {
        MessageReceived received = MessageReceived.of(message);
        AppendResult result = log.append(received.stream(), ExpectedRevision.any(), received.toEvent());
        return new Received(received, result.firstPosition());
    }

    /** A message in the log, at {@code position}. */
    public record Received(MessageReceived message, long position) {
    }
}
