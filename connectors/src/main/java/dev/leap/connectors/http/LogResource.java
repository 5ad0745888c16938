package dev.leap.connectors.http;

import dev.leap.connectors.audit.Audit;
import dev.leap.connectors.audit.AuditResources;
import dev.leap.connectors.audit.LogPage;
import dev.leap.connectors.audit.LogQuery;
import dev.leap.store.Direction;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The auditor's read-only view of the log, a page at a time, oldest first unless asked otherwise. */
@Path("/api/log")
@Access(Access.Role.AUDITOR)
@Tag(name = "audit")
@SecurityRequirement(name = Access.AUDITOR_TOKEN)
public final class LogResource {

    private final Audit audit;
    private final Clock clock;

    public LogResource(Audit audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * @param from      the first position to return; by default the oldest event, or the newest backwards
     * @param limit     how many events at most, up to 1,000
     * @param direction {@code forwards} (oldest first, the default) or {@code backwards}
     * @param type      only events of this type
     * @param stream    only events of this stream
     * @param turn      only the events behind this turn (its message, its stream, the events it appended)
     * @param since     only events recorded at or after this time
     * @param until     only events recorded at or before this time
     * @return the events, and the position to ask for next (null at the end of the log)
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Events of the log, filtered and paged")
    public LogPage read(@QueryParam("from") Long from, @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("direction") @DefaultValue("forwards") String direction, @QueryParam("type") String type,
            @QueryParam("stream") String stream, @QueryParam("turn") String turn, @QueryParam("since") String since,
            @QueryParam("until") String until) {
        Direction walk = AuditResources.direction(direction);
        long start = from != null ? from : walk == Direction.FORWARDS ? 0 : Long.MAX_VALUE;
        return audit.log(new LogQuery(start, walk, limit, type, stream, AuditResources.turnId(turn),
                AuditResources.time("since", since, clock.getZone()), AuditResources.time("until", until, clock.getZone())));
    }
}
