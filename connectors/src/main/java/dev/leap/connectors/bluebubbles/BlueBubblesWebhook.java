package dev.leap.connectors.bluebubbles;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.agent.Agent;
import dev.leap.agent.inbox.FileStore;
import dev.leap.agent.inbox.IncomingMessage;
import dev.leap.agent.inbox.Refusals;
import dev.leap.agent.owners.Gate;
import dev.leap.connectors.http.Access;
import dev.leap.connectors.service.LeapConfig;
import dev.leap.tools.Json;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Where BlueBubbles posts its webhooks. Only the secret in the URL lets a call in; a
 * {@code new-message} from the owner in a private chat is recorded durably and acknowledged at once,
 * and its turn runs on Leap's worker, the reply going back through {@link BlueBubblesChannel}.
 * Everything else is acknowledged and left alone; strangers and groups are refused and recorded.
 */
@Path(BlueBubblesWebhook.PATH)
@Access(Access.Role.WEBHOOK)
public final class BlueBubblesWebhook {

    public static final String PATH = "/api/bluebubbles/webhook";
    static final String NEW_MESSAGE = "new-message";
    static final String PAIRED = "Paired: Leap takes instructions from you in this chat now, and refuses everyone else.";
    private static final Logger LOG = Logger.getLogger(BlueBubblesWebhook.class);

    private final WebhookSecret secret;
    private final Refusals refusals;
    private final Gate gate;
    private final Agent agent;
    private final BlueBubblesChannel channel;
    private final Set<String> configuredOwners;

    public BlueBubblesWebhook(WebhookSecret secret, Refusals refusals, Gate gate, Agent agent, BlueBubblesChannel channel,
            LeapConfig config) {
        this.secret = secret;
        this.refusals = refusals;
        this.gate = gate;
        this.agent = agent;
        this.channel = channel;
        this.configuredOwners = config.bluebubbles().owners().orElse(Set.of());
    }

    /** Takes the body as text so that the secret is checked before anything of it is read. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@QueryParam("secret") String presented, String body, @Context HttpServerRequest http) {
        Optional<String> refusal = secret.refusal(presented);
        if (refusal.isPresent()) {
            String remote = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
            refusals.refuse(BlueBubblesChannel.CHANNEL, remote, null, refusal.get() + " at " + PATH);
            return answer(Response.Status.UNAUTHORIZED, "a valid webhook secret is required: ?secret=<secret>");
        }
        JsonNode event = Json.parse(body);
        if (!NEW_MESSAGE.equals(event.path("type").asText())) {
            return answer(Response.Status.OK, "ignored: not a new message");
        }
        Optional<String> ignored = NewMessage.ignoredBecause(event.path("data"));
        if (ignored.isPresent()) {
            return answer(Response.Status.OK, "ignored: " + ignored.get());
        }
        NewMessage message = NewMessage.from(event.path("data"));
        Gate.Verdict verdict = gate.admit(new Gate.Arrival(BlueBubblesChannel.CHANNEL, ownerIdentity(message),
                message.chatGuid(), message.privateChat(), false, message.text()));
        return switch (verdict) {
            case ADMITTED -> {
                if (!message.files().isEmpty()) {
                    yield takeFile(message);
                }
                agent.accept(new IncomingMessage(BlueBubblesChannel.CHANNEL, message.chatGuid(), message.sender(),
                        message.guid(), message.text()));
                yield answer(Response.Status.OK, "received");
            }
            case QUOTED -> {
                // BlueBubbles marks no message as forwarded; should one be, it is only passed on.
                agent.accept(new IncomingMessage(BlueBubblesChannel.CHANNEL, message.chatGuid(), message.sender(),
                        message.guid(), "", message.text(), null));
                yield answer(Response.Status.OK, "received");
            }
            case PAIRED -> {
                confirmPairing(message);
                yield answer(Response.Status.OK, "paired");
            }
            case REFUSED -> answer(Response.Status.OK, "refused");
        };
    }

    /**
     * The owner may be named by handle ({@code +15551234567}) or by chat guid
     * ({@code iMessage;-;+15551234567}, which admits iMessage but not an SMS claiming that number).
     * The gate compares one identity, so it is shown the chat guid when the allowlist names it.
     */
    private String ownerIdentity(NewMessage message) {
        return configuredOwners.contains(message.chatGuid()) ? message.chatGuid() : message.sender();
    }

    /**
     * A CSV or JSON file from the owner: fetched from the Mac and kept before its message is
     * recorded, then imported on Leap's worker. BlueBubbles never calls a webhook twice, so a file
     * that cannot be fetched is reported in the chat rather than left for a retry that will not come.
     */
    private Response takeFile(NewMessage message) {
        NewMessage.FileRef file = message.files().getFirst();
        byte[] content;
        try {
            content = channel.download(file.guid(), FileStore.MAX_BYTES);
        } catch (RuntimeException e) {
            LOG.warnf("the attachment %s could not be fetched from BlueBubbles: %s", file.name(), e.getMessage());
            tell(message, "I could not fetch " + file.name() + " from your Mac, so I imported nothing. Send it again?");
            return answer(Response.Status.OK, "file could not be fetched");
        }
        if (content.length > FileStore.MAX_BYTES) {
            tell(message, "That file is too large: I take files of up to 5 MB.");
            return answer(Response.Status.OK, "file too large");
        }
        String caption = message.text().isBlank() ? "📎 " + file.name() : message.text();
        agent.acceptFile(new IncomingMessage(BlueBubblesChannel.CHANNEL, message.chatGuid(), message.sender(),
                message.guid(), caption), file.name(), content);
        return answer(Response.Status.OK, "received");
    }

    private void tell(NewMessage message, String text) {
        Thread.ofVirtual().name("bluebubbles-notice").start(() -> {
            try {
                channel.tell(message.chatGuid(), text, "leap-notice-" + message.guid());
            } catch (RuntimeException e) {
                LOG.warnf("telling the chat \"%s\" failed: %s", text, e.getMessage());
            }
        });
    }

    /** Says so in the chat, off the webhook's thread: BlueBubbles waits for the answer to its call. */
    private void confirmPairing(NewMessage message) {
        Thread.ofVirtual().name("bluebubbles-pairing").start(() -> {
            try {
                channel.tell(message.chatGuid(), PAIRED, "leap-pairing-" + message.guid());
            } catch (RuntimeException e) {
                LOG.warnf("the pairing is recorded, but confirming it in the chat failed: %s", e.getMessage());
            }
        });
    }

    private static Response answer(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status.getStatusCode(), "message", message)).build();
    }
}
