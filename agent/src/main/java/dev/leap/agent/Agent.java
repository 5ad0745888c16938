package dev.leap.agent;

import dev.leap.agent.inbox.Inbox;
import dev.leap.agent.inbox.IncomingMessage;
import dev.leap.agent.turn.Reply;
import dev.leap.agent.turn.TurnRunner;

/**
 * The one path every channel takes: record the message durably, then run its turn. A connector
 * hands the message over and sends back the reply; it never talks to the model or the tools.
 */
public final class Agent {

    private final Inbox inbox;
    private final TurnRunner turns;

    public Agent(Inbox inbox, TurnRunner turns) {
        this.inbox = inbox;
        this.turns = turns;
    }

    /**
     * Records the message ({@code MessageReceived}) and answers it. Handing over the same channel
     * message again returns the same reply and changes nothing.
     */
    public Reply handle(IncomingMessage message) {
        return turns.run(inbox.receive(message));
    }
}
