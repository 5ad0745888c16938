package dev.leap.agent.owners;

import dev.leap.agent.inbox.Refusals;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, before anything else runs, whether a message from a channel may reach the agent. Only
 * the owner's own words, in a private chat, are obeyed; what the owner forwards reaches the agent as
 * quoted data; everything else is refused and the refusal recorded (channel, sender, chat and
 * reason — never the content).
 */
public final class Gate {

    private final Owners owners;
    private final Refusals refusals;
    private final Map<String, Pairing> pairings;

    public Gate(Owners owners, Refusals refusals, Map<String, Pairing> pairings) {
        this.owners = owners;
        this.refusals = refusals;
        this.pairings = Map.copyOf(pairings);
    }

    /** A message as a channel describes its sender and form, before its text is trusted. */
    public record Arrival(String channel, String sender, String chatId, boolean privateChat, boolean forwarded,
            String text) {
        public Arrival {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(chatId, "chatId");
            text = text == null ? "" : text;
        }
    }

    public enum Verdict {
        /** The owner's message: hand it to the agent. */
        ADMITTED,
        /** Something the owner forwarded: hand it to the agent as quoted data, never as a command. */
        QUOTED,
        /** The sender just became the owner with the pairing code: tell them so. */
        PAIRED,
        /** Not to be acted on; the refusal is recorded. */
        REFUSED
    }

    public Verdict admit(Arrival arrival) {
        if (!arrival.privateChat()) {
            return refuse(arrival, "not a private chat");
        }
        if (owners.isOwner(arrival.channel(), arrival.sender())) {
            return arrival.forwarded() ? Verdict.QUOTED : Verdict.ADMITTED;
        }
        Pairing pairing = pairings.get(arrival.channel());
        if (!arrival.forwarded() && pairing != null && !owners.hasOwner(arrival.channel()) && pairing.redeem(arrival.text())) {
            owners.pair(arrival.channel(), arrival.sender(), arrival.chatId());
            return Verdict.PAIRED;
        }
        return refuse(arrival, "not the owner");
    }

    private Verdict refuse(Arrival arrival, String reason) {
        refusals.refuse(arrival.channel(), arrival.sender(), arrival.chatId(), reason);
        return Verdict.REFUSED;
    }
}
