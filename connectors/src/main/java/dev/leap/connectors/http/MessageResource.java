package dev.leap.connectors.http;

import dev.leap.agent.Agent;
import dev.leap.agent.inbox.IncomingMessage;
import dev.leap.agent.turn.Reply;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * The owner's HTTP channel: a message in, the agent's reply out. The terminal chat uses it too.
 * Sending a message again with the same {@code messageId} returns the first reply and acts on nothing.
 */
@Path("/api/messages")
@Access(Access.Role.OWNER)
@SecurityRequirement(name = Access.OWNER_TOKEN)
public final class MessageResource {

    /** Channels that arrive through this endpoint; the others have their own connectors. */
    static final Set<String> CHANNELS = Set.of("http", "cli", "web");

    private final Agent agent;

    public MessageResource(Agent agent) {
        this.agent = agent;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public ReplyBody send(MessageBody body) {
        if (body == null) {
            throw new IllegalArgumentException("send a JSON object such as {\"text\": \"add Ann to my contacts\"}");
        }
        String channel = body.channel() == null ? "http" : body.channel();
        if (!CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("the channel of this endpoint is one of " + CHANNELS + ", not '" + channel + "'");
        }
        IncomingMessage message = new IncomingMessage(channel,
                body.chatId() == null ? "owner" : body.chatId(),
                "owner",
                body.messageId() == null ? UUID.randomUUID().toString() : body.messageId(),
                body.text() == null ? "" : body.text());
        Reply reply = agent.handle(message);
        return new ReplyBody(reply.turnId().toString(), reply.text(), reply.changes());
    }

    /**
     * @param text      what the owner says
     * @param chatId    the conversation; defaults to "owner"
     * @param messageId the sender's id for the message, to make retries safe; a fresh one when absent
     * @param channel   "http" (default), "cli" or "web"
     */
    public record MessageBody(String text, String chatId, String messageId, String channel) {
    }

    /**
     * @param reply   what to show the owner
     * @param changes one sentence per change the turn made, read back from the log
     */
    public record ReplyBody(String turnId, String reply, List<String> changes) {
    }
}
