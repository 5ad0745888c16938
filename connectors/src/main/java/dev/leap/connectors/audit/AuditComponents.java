package dev.leap.connectors.audit;

import dev.leap.connectors.service.Components;
import dev.leap.connectors.service.LeapConfig;
import dev.leap.store.EventLog;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.undo.TurnIndex;
import dev.leap.tools.undo.UndoService;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The auditor's side of the service: the same log, projections and undo index the agent uses, and the
 * audit page at {@code /audit/} (static, in META-INF/resources/audit/).
 */
@Singleton
public final class AuditComponents {

    @Produces
    @Singleton
    Audit audit(EventLog log, LeapConfig config, RecordProjection projection, TurnIndex turns) {
        UndoService undo = new UndoService(log, projection, turns);
        return new LogAudit(log, Components.checkpoints(config), () -> turns, () -> undo);
    }

    /** {@code /audit} leads to the page; a regex route, because a path route would match {@code /audit/} too. */
    void route(@Observes Router router) {
        router.getWithRegex("/audit").handler(request -> request.redirect("audit/"));
    }
}
