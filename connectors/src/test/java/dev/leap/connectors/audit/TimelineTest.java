package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.Direction;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timeline over a log of many turns of every kind. */
class TimelineTest {

    @TempDir
    Path directory;

    SqliteEventLog log;
    LogAudit audit;

    @BeforeEach
    void open_a_copy_of_the_synthetic_log() {
        log = SqliteEventLog.openIn(SyntheticLogs.copyInto(directory));
        audit = new LogAudit(log, null, () -> null, () -> null);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void paging_back_through_the_timeline_meets_every_turn_once_newest_first() {
        List<String> paged = new ArrayList<>();
        Long next = Long.MAX_VALUE;
        while (next != null) {
            TimelinePage page = audit.timeline(next, 7);
            page.turns().forEach(turn -> paged.add(turn.turnId()));
            next = page.next();
        }

        List<String> started = new ArrayList<>();
        for (RecordedEvent event : log.readAll(Long.MAX_VALUE, 100_000, Direction.BACKWARDS)) {
            if (event.type().equals("TurnStarted")) {
                started.add(event.stream().substring("turn-".length()));
            }
        }
        assertThat(paged).hasSizeGreaterThan(200).isEqualTo(started);
    }

    @Test
    void each_turn_in_the_timeline_is_summarised_as_its_account_tells_it() {
        for (TimelinePage.TurnSummary summary : audit.timeline(Long.MAX_VALUE, 100).turns()) {
            TurnAccount account = audit.turn(summary.turnId(), 0, 500);

            assertThat(summary.status()).isEqualTo(account.status());
            assertThat(summary.changes()).isEqualTo(account.changesTotal());
            assertThat(summary.message()).isEqualTo(TurnAccounts.oneLine(account.message().text()));
            assertThat(summary.reply()).isEqualTo(TurnAccounts.oneLine(account.reply()));
            assertThat(summary.stands()).isEqualTo(account.stands());
            assertThat(summary.startedAt()).isEqualTo(account.startedAt());
        }
    }
}
