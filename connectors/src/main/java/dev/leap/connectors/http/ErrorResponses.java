package dev.leap.connectors.http;

import dev.leap.agent.model.ModelUnavailableException;
import dev.leap.connectors.audit.AuditException;
import dev.leap.store.EventLogException;
import dev.leap.store.WrongExpectedRevisionException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Translates Leap's errors into HTTP answers, each with a JSON body that says what went wrong. */
public final class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    @ServerExceptionMapper
    public Response badInput(IllegalArgumentException e) {
        return answer(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(WrongExpectedRevisionException e) {
        return answer(Response.Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(AuditException.NotFound e) {
        return answer(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response refused(AuditException.Refused e) {
        return answer(Response.Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public Response storage(EventLogException e) {
        LOG.error("the event log failed", e);
        return answer(Response.Status.INTERNAL_SERVER_ERROR, "the event log failed: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response noModel(ModelUnavailableException e) {
        return answer(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    private static Response answer(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
