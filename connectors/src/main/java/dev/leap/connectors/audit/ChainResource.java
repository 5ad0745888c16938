package dev.leap.connectors.audit;

import dev.leap.connectors.http.Access;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The log as a whole: the hash chain's verification, and the export. */
@Path("/api/audit")
@Access(Access.Role.AUDITOR)
@Tag(name = "audit")
@SecurityRequirement(name = Access.AUDITOR_TOKEN)
public final class ChainResource {

    /** JSON Lines, as the export writes it. */
    public static final String JSON_LINES = "application/x-ndjson";

    private final Audit audit;

    public ChainResource(Audit audit) {
        this.audit = audit;
    }

    /** Walks the whole chain: on a large log this takes a while, since every event is checked. */
    @GET
    @Path("verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Walk the hash chain and name the first event that does not link")
    public ChainReport verify() {
        return audit.verify();
    }

    /**
     * @param from the first position to export
     * @param to   the last position to export; without it, to the end of the log
     */
    @GET
    @Path("export")
    @Produces(JSON_LINES)
    @Operation(summary = "The log as JSON Lines, one event per line (docs/export-format.md)")
    public StreamingOutput export(@QueryParam("from") @DefaultValue("0") long from, @QueryParam("to") Long to) {
        long last = to != null ? to : Long.MAX_VALUE;
        if (from < 0 || last < from) {
            throw new IllegalArgumentException("'from' is a position, 0 or more, and 'to' is not before it");
        }
        return out -> audit.export(from, last, out);
    }
}
