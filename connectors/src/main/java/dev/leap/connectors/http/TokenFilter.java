package dev.leap.connectors.http;

import dev.leap.agent.inbox.Refusals;
import dev.leap.connectors.service.Tokens;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Lets a request through only with the token its resource demands ({@link Access}); fails closed:
 * a resource that names no role admits nobody. Each refusal is recorded in the log.
 */
public final class TokenFilter {

    private final Tokens tokens;
    private final Refusals refusals;

    public TokenFilter(Tokens tokens, Refusals refusals) {
        this.tokens = tokens;
        this.refusals = refusals;
    }

    @ServerRequestFilter
    public Response authorize(ContainerRequestContext request, SimpleResourceInfo resource, HttpServerRequest http) {
        Access access = resource.getResourceClass() == null ? null : resource.getResourceClass().getAnnotation(Access.class);
        if (access != null && access.value() == Access.Role.WEBHOOK) {
            return null;
        }
        String presented = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        String problem;
        if (access == null) {
            problem = "this endpoint admits nobody";
        } else if (presented == null) {
            problem = "missing token";
        } else if (access.value() == Access.Role.OWNER ? tokens.isOwner(presented) : tokens.isAuditor(presented)) {
            return null;
        } else {
            problem = "wrong token for " + access.value().name().toLowerCase();
        }
        String remote = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        refusals.refuse("http", remote, null, problem + " at " + request.getUriInfo().getPath());
        return Response.status(Response.Status.UNAUTHORIZED)
                .type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(Map.of("error", "a valid " + (access == null ? "" : access.value().name().toLowerCase() + " ")
                        + "token is required: send 'Authorization: Bearer <token>'"))
                .build();
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }
}
