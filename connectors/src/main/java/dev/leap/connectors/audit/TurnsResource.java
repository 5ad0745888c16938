package dev.leap.connectors.audit;

import dev.leap.connectors.http.Access;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The turns: a timeline newest first, the full account of each, and the auditor's revert. */
@Path("/api/audit/turns")
@Access(Access.Role.AUDITOR)
@Tag(name = "audit")
@SecurityRequirement(name = Access.AUDITOR_TOKEN)
@Produces(MediaType.APPLICATION_JSON)
public final class TurnsResource {

    private final Audit audit;

    public TurnsResource(Audit audit) {
        this.audit = audit;
    }

    /**
     * @param before the position to read back from (a page's {@code next}); the newest turns without it
     * @param limit  how many turns at most, up to 100
     */
    @GET
    @Operation(summary = "Turns, newest first, a page at a time")
    public TimelinePage timeline(@QueryParam("before") Long before, @QueryParam("limit") @DefaultValue("20") int limit) {
        return audit.timeline(before == null ? Long.MAX_VALUE : before, limit);
    }

    /**
     * @param turn         the turn's id, or the start of the id of a turn that changed something
     * @param changesFrom  the index of the first of the turn's changes to list
     * @param changesLimit how many changes to list, up to 500
     */
    @GET
    @Path("{turn}")
    @Operation(summary = "The account of one turn: message, model calls, tool calls, events, reply, reverts")
    public TurnAccount account(@PathParam("turn") String turn, @QueryParam("changesFrom") @DefaultValue("0") int changesFrom,
            @QueryParam("changesLimit") @DefaultValue("100") int changesLimit) {
        return audit.turn(turn, changesFrom, changesLimit);
    }

    /** The one thing an auditor may change: it appends compensating events, and can itself be reverted. */
    @POST
    @Path("{turn}/revert")
    @Operation(summary = "Revert a turn with compensating events, as the auditor; returns the account of the revert")
    public TurnAccount revert(@PathParam("turn") String turn) {
        return audit.revert(turn);
    }
}
