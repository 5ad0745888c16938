package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.Direction;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searching the log finds exactly what reading all of it and filtering would, a page at a time. */
class LogSearchTest {

    @TempDir
    Path directory;

    SqliteEventLog log;
    LogAudit audit;
    List<RecordedEvent> all;

    @BeforeEach
    void open_a_copy_of_the_synthetic_log() {
        log = SqliteEventLog.openIn(SyntheticLogs.copyInto(directory));
        audit = new LogAudit(log, null, () -> null, () -> null);
        all = log.readAll(0, 100_000);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void a_stream_is_paged_in_both_directions_from_any_position_as_its_own_stream_holds_it() {
        String chat = "chat-telegram-telegram-chat-1";
        List<Long> stream = log.readStream(chat).stream().map(RecordedEvent::position).toList();
        long middle = stream.get(stream.size() / 2) - 1;

        assertThat(positions(from -> new LogQuery(from, Direction.FORWARDS, 13, null, chat, null, null, null), 0))
                .isEqualTo(stream);
        assertThat(positions(from -> new LogQuery(from, Direction.BACKWARDS, 13, null, chat, null, null, null), Long.MAX_VALUE))
                .isEqualTo(stream.reversed());
        assertThat(positions(from -> new LogQuery(from, Direction.FORWARDS, 5, null, chat, null, null, null), middle))
                .isEqualTo(stream.stream().filter(p -> p >= middle).toList());
        assertThat(positions(from -> new LogQuery(from, Direction.BACKWARDS, 5, null, chat, null, null, null), middle))
                .isEqualTo(stream.reversed().stream().filter(p -> p <= middle).toList());
    }

    @Test
    void a_type_finds_what_a_whole_scan_finds() {
        assertThat(positions(from -> new LogQuery(from, Direction.FORWARDS, 5, "RecordDeleted", null, null, null, null), 0))
                .isNotEmpty()
                .isEqualTo(all.stream().filter(e -> e.type().equals("RecordDeleted")).map(RecordedEvent::position).toList());
    }

    @Test
    void a_time_range_keeps_exactly_the_events_recorded_within_it() {
        Instant since = all.get(300).recordedAt();
        Instant until = all.get(900).recordedAt();

        assertThat(positions(from -> new LogQuery(from, Direction.FORWARDS, 100, null, null, null, since, until), 0))
                .isEqualTo(all.stream().filter(e -> !e.recordedAt().isBefore(since) && !e.recordedAt().isAfter(until))
                        .map(RecordedEvent::position).toList());
        assertThat(positions(from -> new LogQuery(from, Direction.BACKWARDS, 100, "TurnStarted", null, null, since, until),
                Long.MAX_VALUE))
                .isEqualTo(all.reversed().stream().filter(e -> e.type().equals("TurnStarted"))
                        .filter(e -> !e.recordedAt().isBefore(since) && !e.recordedAt().isAfter(until))
                        .map(RecordedEvent::position).toList());
    }

    @Test
    void the_events_behind_a_turn_are_its_message_its_own_stream_and_the_events_it_appended() {
        for (RecordedEvent started : all.stream().filter(e -> e.type().equals("TurnStarted")).limit(40).toList()) {
            UUID turn = UUID.fromString(started.stream().substring("turn-".length()));
            TurnAccount account = audit.turn(turn.toString(), 0, 500);
            List<Long> expected = new ArrayList<>();
            expected.add(account.message().position());
            log.readStream(started.stream()).forEach(e -> expected.add(e.position()));
            account.changes().forEach(change -> expected.add(change.position()));

            assertThat(positions(from -> new LogQuery(from, Direction.FORWARDS, 3, null, null, turn, null, null), 0))
                    .isEqualTo(expected.stream().sorted().toList());
        }
    }

    /** Every position the query finds, following its cursor from page to page. */
    private List<Long> positions(Function<Long, LogQuery> query, long start) {
        List<Long> found = new ArrayList<>();
        Long next = start;
        while (next != null) {
            LogPage page = audit.log(query.apply(next));
            page.events().forEach(event -> found.add(event.position()));
            next = page.next();
        }
        return found;
    }
}
