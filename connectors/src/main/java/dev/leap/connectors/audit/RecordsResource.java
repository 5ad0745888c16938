package dev.leap.connectors.audit;

import dev.leap.connectors.http.Access;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The owner's records through time: as they stood at any point, what changed between two points,
 * and one record's history. Points are positions or times; local times are in the owner's time zone.
 */
@Path("/api/audit/records")
@Access(Access.Role.AUDITOR)
@Tag(name = "audit")
@SecurityRequirement(name = Access.AUDITOR_TOKEN)
@Produces(MediaType.APPLICATION_JSON)
public final class RecordsResource {

    private final Audit audit;
    private final Clock clock;

    public RecordsResource(Audit audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * @param at         a position or a time; now without it
     * @param collection only records of this collection
     */
    @GET
    @Operation(summary = "The records as they stood at a position or time")
    public RecordsPage asOf(@QueryParam("at") String at, @QueryParam("collection") String collection,
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("100") int limit) {
        return audit.records(AuditResources.point(at, clock.getZone()), blankAsNull(collection), offset, limit);
    }

    /** @param from the earlier point; @param to the later one, now without it */
    @GET
    @Path("changes")
    @Operation(summary = "What changed in the records between two positions or times")
    public RecordDiff changes(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("100") int limit) {
        PointInLog end = AuditResources.point(to, clock.getZone());
        return audit.diff(AuditResources.required("from", from, clock.getZone()),
                end == null ? new PointInLog.Position(Long.MAX_VALUE) : end, offset, limit);
    }

    /** @param from the first revision of the record's stream to list */
    @GET
    @Path("{id}/history")
    @Operation(summary = "Every event of one record, with the turn and message behind each")
    public HistoryPage history(@PathParam("id") String id, @QueryParam("from") @DefaultValue("0") long from,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return audit.history(id, from, limit);
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
