package dev.leap.connectors.http;

import dev.leap.agent.Agent;
import dev.leap.agent.inbox.IncomingMessage;
import dev.leap.agent.turn.Reply;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * Files the owner sends over HTTP: the body is a CSV or JSON file whose rows become records, in one
 * turn that one undo takes back. {@code curl --data-binary @contacts.csv ".../api/imports?file=contacts.csv"}.
 */
@Path("/api/imports")
@Access(Access.Role.OWNER)
@SecurityRequirement(name = Access.OWNER_TOKEN)
public final class ImportResource {

    private final Agent agent;

    public ImportResource(Agent agent) {
        this.agent = agent;
    }

    /**
     * @param file       the file's name; its extension says CSV or JSON, and without a collection its base name names it
     * @param collection where the records go
     * @param messageId  the sender's id for this upload, to make retries safe
     */
    @POST
    @Consumes({"text/csv", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public MessageResource.ReplyBody upload(byte[] content, @QueryParam("file") String file,
            @QueryParam("collection") String collection, @QueryParam("messageId") String messageId) {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("name the file: ?file=contacts.csv");
        }
        if (content == null || content.length == 0) {
            throw new IllegalArgumentException("the file is empty");
        }
        String text = "📎 " + file + " (" + content.length + " bytes)" + (collection == null ? "" : ", into " + collection);
        IncomingMessage message = new IncomingMessage("http", "owner", "owner",
                messageId == null ? UUID.randomUUID().toString() : messageId, text);
        Reply reply = agent.importFile(message, file, content);
        return new MessageResource.ReplyBody(reply.turnId().toString(), reply.text(), reply.changes());
    }
}
