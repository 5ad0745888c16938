package dev.leap.agent;

import dev.leap.agent.history.HistoryTool;
import dev.leap.agent.reminders.ScheduleReminder;
import dev.leap.store.EventLog;
import dev.leap.tools.actions.AgentTool;
import dev.leap.tools.actions.ExportTool;
import dev.leap.tools.actions.RecordTools;
import dev.leap.tools.actions.UndoTool;
import dev.leap.tools.files.ExportService;
import dev.leap.tools.records.RecordProjection;
import dev.leap.tools.records.RecordService;
import dev.leap.tools.records.SemanticIndex;
import dev.leap.tools.undo.TurnIndex;
import dev.leap.tools.undo.UndoService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Every tool the agent has, in one place. None reaches the network or a shell: each works only on
 * the owner's records, reminders and the log.
 */
public final class Toolbox {

    private Toolbox() {
    }

    /**
     * @param meaning finds records by meaning; null to find by words only
     * @param clock   the owner's time zone is the clock's
     */
    public static List<AgentTool> of(EventLog log, RecordService records, RecordProjection projection,
            SemanticIndex meaning, TurnIndex turns, ExportService exports, Clock clock) {
        List<AgentTool> tools = new ArrayList<>(RecordTools.all(records, meaning));
        tools.add(new ScheduleReminder(records, log, clock));
        tools.add(new UndoTool(new UndoService(log, projection, turns), clock.getZone()));
        tools.add(new HistoryTool(records, turns, log, clock.getZone()));
        tools.add(new ExportTool(exports));
        return List.copyOf(tools);
    }
}
