package dev.leap.connectors.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.store.EventLog;
import dev.leap.store.RecordedEvent;
import dev.leap.tools.Json;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The auditor's read-only view of the log, a page at a time, oldest first. */
@Path("/api/log")
@Access(Access.Role.AUDITOR)
public final class LogResource {

    static final int MAX_LIMIT = 1_000;

    private final EventLog log;

    public LogResource(EventLog log) {
        this.log = log;
    }

    /**
     * @param from  the first position to return
     * @param limit how many events at most, up to 1,000
     * @return the events, and the position to ask for next (null at the end of the log)
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public LogPage read(@QueryParam("from") @DefaultValue("0") long from, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (from < 0) {
            throw new IllegalArgumentException("'from' is a position, 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("'limit' is between 1 and " + MAX_LIMIT);
        }
        List<RecordedEvent> events = log.readAll(from, limit);
        Long next = events.size() < limit ? null : events.getLast().position() + 1;
        return new LogPage(events.stream().map(LogResource::body).toList(), next);
    }

    private static EventBody body(RecordedEvent e) {
        return new EventBody(e.position(), e.stream(), e.revision(), e.id().toString(), e.type(), Json.parse(e.data()),
                Json.parse(e.metadata()), e.recordedAt().toString(), e.hash());
    }

    public record LogPage(List<EventBody> events, Long next) {
    }

    public record EventBody(long position, String stream, long revision, String id, String type, JsonNode data,
            JsonNode metadata, String recordedAt, String hash) {
    }
}
