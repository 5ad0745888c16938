package dev.leap.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.store.AppendResult;
import dev.leap.store.Direction;
import dev.leap.store.EventData;
import dev.leap.store.EventIdConflictException;
import dev.leap.store.EventLog;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.HashChain;
import dev.leap.store.RecordedEvent;
import dev.leap.store.WrongExpectedRevisionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every behaviour of the event log, written once. An engine's test extends this class and only
 * says how to open the engine. Tests never assume the log starts empty: they work on fresh stream
 * names and on positions after the log's head when the test began.
 */
public abstract class EventLogContract {

    @TempDir
    protected Path directory;

    protected EventLog log;

    /** Opens the engine; called again on the same directory to show that appends are durable. */
    protected abstract EventLog open(Path directory);

    @BeforeEach
    void openLog() {
        log = open(directory);
    }

    @AfterEach
    void closeLog() {
        log.close();
    }

    @Test
    void appended_events_read_back_in_order_with_revisions_from_zero() {
        String stream = fresh("record");

        AppendResult first = log.append(stream, ExpectedRevision.noStream(), event("A", "{\"n\":1}"));
        AppendResult rest = log.append(stream, ExpectedRevision.exactly(0), event("B", "{\"n\":2}"), event("C", "{\"n\":3}"));

        List<RecordedEvent> events = log.readStream(stream);
        assertThat(events).extracting(RecordedEvent::type).containsExactly("A", "B", "C");
        assertThat(events).extracting(RecordedEvent::revision).containsExactly(0L, 1L, 2L);
        assertThat(events).extracting(RecordedEvent::data).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(events).extracting(RecordedEvent::stream).containsOnly(stream);
        assertThat(first.firstRevision()).isZero();
        assertThat(rest.firstRevision()).isEqualTo(1);
        assertThat(rest.lastRevision()).isEqualTo(2);
        assertThat(rest.count()).isEqualTo(2);
        assertThat(rest.firstPosition()).isGreaterThan(first.lastPosition());
        assertThat(events.get(2).position()).isEqualTo(rest.lastPosition());
    }

    @Test
    void a_stream_without_events_reads_as_empty() {
        String stream = fresh("nothing");

        assertThat(log.readStream(stream)).isEmpty();
        assertThat(log.lastRevision(stream)).isEqualTo(RecordedEvent.NO_REVISION);
    }

    @Test
    void metadata_and_ids_are_kept_as_given() {
        String stream = fresh("record");
        UUID id = UUID.randomUUID();
        String metadata = "{\"turnId\":\"t-1\",\"actor\":\"agent\"}";

        log.append(stream, ExpectedRevision.any(), new EventData(id, "RecordCreated", "{}", metadata));

        RecordedEvent event = log.readStream(stream).getFirst();
        assertThat(event.id()).isEqualTo(id);
        assertThat(event.metadata()).isEqualTo(metadata);
    }

    @Test
    void expecting_no_stream_fails_once_the_stream_exists_and_the_error_says_where_it_is() {
        String stream = fresh("record");
        log.append(stream, ExpectedRevision.noStream(), event("A"));

        assertThatThrownBy(() -> log.append(stream, ExpectedRevision.noStream(), event("B")))
                .isInstanceOfSatisfying(WrongExpectedRevisionException.class, e -> {
                    assertThat(e.stream()).isEqualTo(stream);
                    assertThat(e.expected()).isEqualTo(ExpectedRevision.noStream());
                    assertThat(e.actualRevision()).isZero();
                });
        assertThat(log.readStream(stream)).hasSize(1);
    }

    @Test
    void expecting_an_exact_revision_fails_when_the_stream_moved_on() {
        String stream = fresh("record");
        log.append(stream, ExpectedRevision.noStream(), event("A"), event("B"));

        assertThatThrownBy(() -> log.append(stream, ExpectedRevision.exactly(0), event("C")))
                .isInstanceOfSatisfying(WrongExpectedRevisionException.class, e -> {
                    assertThat(e.expected()).isEqualTo(ExpectedRevision.exactly(0));
                    assertThat(e.actualRevision()).isEqualTo(1);
                });
        log.append(stream, ExpectedRevision.exactly(1), event("C"));
        assertThat(log.readStream(stream)).extracting(RecordedEvent::type).containsExactly("A", "B", "C");
    }

    @Test
    void expecting_an_exact_revision_of_a_missing_stream_reports_no_stream() {
        String stream = fresh("record");

        assertThatThrownBy(() -> log.append(stream, ExpectedRevision.exactly(3), event("A")))
                .isInstanceOfSatisfying(WrongExpectedRevisionException.class,
                        e -> assertThat(e.actualRevision()).isEqualTo(RecordedEvent.NO_REVISION))
                .hasMessageContaining("no stream");
    }

    @Test
    void expecting_the_stream_to_exist_fails_on_a_new_stream() {
        String stream = fresh("record");

        assertThatThrownBy(() -> log.append(stream, ExpectedRevision.streamExists(), event("A")))
                .isInstanceOf(WrongExpectedRevisionException.class);
        log.append(stream, ExpectedRevision.any(), event("A"));
        log.append(stream, ExpectedRevision.streamExists(), event("B"));
        assertThat(log.lastRevision(stream)).isEqualTo(1);
    }

    @Test
    void a_refused_append_records_nothing() {
        String stream = fresh("record");
        log.append(stream, ExpectedRevision.noStream(), event("A"));
        long head = head();

        assertThatThrownBy(() -> log.append(stream, ExpectedRevision.noStream(), event("B"), event("C")))
                .isInstanceOf(WrongExpectedRevisionException.class);

        assertThat(head()).isEqualTo(head);
        assertThat(log.readStream(stream)).hasSize(1);
    }

    @Test
    void appending_an_existing_event_id_is_a_no_op_that_returns_the_original_result() {
        String stream = fresh("chat");
        EventData message = event("MessageReceived");
        AppendResult original = log.append(stream, ExpectedRevision.any(), message);
        log.append(stream, ExpectedRevision.any(), event("Other"));
        long head = head();

        AppendResult again = log.append(stream, ExpectedRevision.noStream(), message);

        assertThat(again).isEqualTo(original);
        assertThat(head()).isEqualTo(head);
        assertThat(log.readStream(stream)).hasSize(2);
    }

    @Test
    void retrying_a_whole_batch_returns_the_original_result_and_appends_nothing() {
        String stream = fresh("record");
        List<EventData> batch = List.of(event("A"), event("B"), event("C"));
        AppendResult original = log.append(stream, ExpectedRevision.noStream(), batch);
        long head = head();

        AppendResult again = log.append(stream, ExpectedRevision.exactly(7), batch);

        assertThat(again).isEqualTo(original);
        assertThat(head()).isEqualTo(head);
    }

    @Test
    void a_batch_that_repeats_only_some_earlier_ids_is_refused_and_appends_nothing() {
        String stream = fresh("record");
        EventData a = event("A");
        log.append(stream, ExpectedRevision.any(), a);
        EventData b = event("B");
        long head = head();

        assertThatThrownBy(() -> log.append(stream, ExpectedRevision.any(), a, b))
                .isInstanceOfSatisfying(EventIdConflictException.class, e -> assertThat(e.eventId()).isEqualTo(b.id()));
        assertThatThrownBy(() -> log.append(stream, ExpectedRevision.any(), b, a))
                .isInstanceOfSatisfying(EventIdConflictException.class, e -> assertThat(e.eventId()).isEqualTo(a.id()));
        assertThat(head()).isEqualTo(head);
    }

    @Test
    void an_event_id_used_by_another_stream_is_refused() {
        EventData a = event("A");
        String first = fresh("record");
        String second = fresh("record");
        log.append(first, ExpectedRevision.any(), a);

        assertThatThrownBy(() -> log.append(second, ExpectedRevision.any(), a))
                .isInstanceOf(EventIdConflictException.class)
                .hasMessageContaining(first);
        assertThat(log.readStream(second)).isEmpty();
    }

    @Test
    void the_same_id_twice_in_one_append_is_refused() {
        EventData a = event("A");
        String stream = fresh("record");

        assertThatThrownBy(() -> log.append(stream, ExpectedRevision.any(), a, a))
                .isInstanceOf(EventIdConflictException.class);
        assertThat(log.readStream(stream)).isEmpty();
    }

    @Test
    void the_whole_log_reads_in_position_order_across_streams_from_any_position() {
        long start = head() + 1;
        String x = fresh("x");
        String y = fresh("y");
        log.append(x, ExpectedRevision.any(), event("X1"));
        log.append(y, ExpectedRevision.any(), event("Y1"), event("Y2"));
        log.append(x, ExpectedRevision.any(), event("X2"));

        List<RecordedEvent> all = log.readAll(start, 100);
        assertThat(all).extracting(RecordedEvent::type).containsExactly("X1", "Y1", "Y2", "X2");
        assertThat(all).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();

        long third = all.get(2).position();
        assertThat(log.readAll(third, 100)).extracting(RecordedEvent::type).containsExactly("Y2", "X2");
        assertThat(log.readAll(third, 1)).extracting(RecordedEvent::type).containsExactly("Y2");
        assertThat(log.readAll(third, 100, Direction.BACKWARDS)).extracting(RecordedEvent::type)
                .startsWith("Y2", "Y1", "X1");
        assertThat(log.readAll(Long.MAX_VALUE, 1, Direction.BACKWARDS)).extracting(RecordedEvent::type)
                .containsExactly("X2");
        assertThat(log.lastPosition()).hasValue(all.getLast().position());
    }

    @Test
    void a_stream_reads_from_any_revision_in_both_directions() {
        String stream = fresh("record");
        log.append(stream, ExpectedRevision.any(), event("A"), event("B"), event("C"), event("D"));

        assertThat(log.readStream(stream, 2, 10, Direction.FORWARDS)).extracting(RecordedEvent::type)
                .containsExactly("C", "D");
        assertThat(log.readStream(stream, 2, 10, Direction.BACKWARDS)).extracting(RecordedEvent::type)
                .containsExactly("C", "B", "A");
        assertThat(log.readStream(stream, Long.MAX_VALUE, 1, Direction.BACKWARDS)).extracting(RecordedEvent::type)
                .containsExactly("D");
        assertThat(log.readStream(stream, 0, 0, Direction.FORWARDS)).isEmpty();
    }

    @Test
    void every_event_carries_a_hash_linking_it_to_the_one_before() {
        String stream = fresh("record");
        log.append(stream, ExpectedRevision.any(), event("A"), event("B"));
        log.append(fresh("other"), ExpectedRevision.any(), event("C"));

        List<RecordedEvent> all = readWholeLog();
        String previous = HashChain.GENESIS;
        for (RecordedEvent event : all) {
            assertThat(event.hash()).hasSize(64).isEqualTo(HashChain.link(previous, event));
            previous = event.hash();
        }
        assertThat(HashChain.verify(log).intact()).isTrue();
        assertThat(HashChain.verify(log).eventsVerified()).isEqualTo(all.size());
    }

    @Test
    void recorded_times_never_run_backwards() {
        String stream = fresh("record");
        for (int i = 0; i < 20; i++) {
            log.append(stream, ExpectedRevision.any(), event("Tick"));
        }

        assertThat(log.readStream(stream)).extracting(RecordedEvent::recordedAt).isSorted();
    }

    @Test
    void non_ascii_and_large_payloads_round_trip_exactly() {
        String stream = fresh("record");
        String text = "{\"name\":\"Zoë Ångström\",\"city\":\"東京\",\"mood\":\"🎉🚀\",\"note\":\"Привет, мир €\"}";
        String large = "{\"blob\":\"" + "é🙂x".repeat(200_000) + "\"}";

        log.append(stream, ExpectedRevision.any(), event("Text", text), event("Large", large));

        List<RecordedEvent> events = log.readStream(stream);
        assertThat(events.get(0).data()).isEqualTo(text);
        assertThat(events.get(1).data()).isEqualTo(large);
        assertThat(HashChain.verify(log).intact()).isTrue();
    }

    @Test
    void appends_that_returned_are_still_there_after_reopening() {
        String stream = fresh("record");
        log.append(stream, ExpectedRevision.any(), event("A", "{\"v\":\"kept\"}"));
        List<RecordedEvent> before = readWholeLog();

        log.close();
        log = open(directory);

        assertThat(readWholeLog()).isEqualTo(before);
        log.append(stream, ExpectedRevision.exactly(0), event("B"));
        assertThat(HashChain.verify(log).intact()).isTrue();
    }

    @Test
    void bad_arguments_are_refused_with_a_clear_message() {
        assertThatThrownBy(() -> log.append("no spaces allowed", ExpectedRevision.any(), event("A")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream name");
        assertThatThrownBy(() -> log.append(fresh("record"), ExpectedRevision.any(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one event");
        assertThatThrownBy(() -> EventData.of("has space", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event type");
        assertThatThrownBy(() -> ExpectedRevision.exactly(-2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_event_is_read_by_its_id_exactly_as_its_stream_holds_it() {
        String first = fresh("record");
        String second = fresh("turn");
        EventData alone = event("A", "{\"n\":1}");
        EventData inBatch = event("C", "{\"n\":3}");
        log.append(first, ExpectedRevision.noStream(), alone);
        log.append(second, ExpectedRevision.any(), event("B"), inBatch, event("D"));

        assertThat(log.readEvent(alone.id())).hasValue(log.readStream(first).getFirst());
        assertThat(log.readEvent(inBatch.id())).hasValue(log.readStream(second).get(1));
        assertThat(log.readEvent(inBatch.id()).orElseThrow().stream()).isEqualTo(second);
    }

    @Test
    void an_id_the_log_does_not_hold_reads_as_empty_even_after_a_refused_append() {
        String stream = fresh("record");
        log.append(stream, ExpectedRevision.noStream(), event("A"));
        EventData refused = event("B");

        assertThatThrownBy(() -> log.append(stream, ExpectedRevision.noStream(), refused))
                .isInstanceOf(WrongExpectedRevisionException.class);

        assertThat(log.readEvent(refused.id())).isEmpty();
        assertThat(log.readEvent(UUID.randomUUID())).isEmpty();
    }

    @Test
    void an_event_is_found_by_its_id_after_reopening() {
        EventData kept = event("A", "{\"v\":\"kept\"}");
        log.append(fresh("record"), ExpectedRevision.any(), kept);
        RecordedEvent before = log.readEvent(kept.id()).orElseThrow();

        log.close();
        log = open(directory);

        assertThat(log.readEvent(kept.id())).hasValue(before);
    }

    @Test
    void a_subscription_delivers_history_then_live_events_in_order_without_gap_or_repeat() throws Exception {
        long start = head() + 1;
        String stream = fresh("sub");
        for (int i = 0; i < 30; i++) {
            log.append(stream, ExpectedRevision.any(), event("Old" + i));
        }
        List<Long> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var subscription = log.subscribeToAll(start, e -> delivered.add(e.position()))) {
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 30; i++) {
                    log.append(stream, ExpectedRevision.any(), event("New" + i), event("Newer" + i));
                }
            });
            writer.join();
            long last = head();

            assertThat(subscription.awaitDelivered(last, java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(subscription.failure()).isEmpty();
        }
        List<Long> recorded = readWholeLog().stream().map(RecordedEvent::position).filter(p -> p >= start).toList();
        assertThat(delivered).hasSize(90).isEqualTo(recorded);
    }

    @Test
    void a_subscription_starts_where_it_is_asked_to() throws Exception {
        String stream = fresh("sub");
        log.append(stream, ExpectedRevision.any(), event("A"), event("B"), event("C"));
        long second = log.readStream(stream).get(1).position();
        List<String> types = java.util.Collections.synchronizedList(new ArrayList<>());

        try (var subscription = log.subscribeToAll(second, e -> types.add(e.type()))) {
            assertThat(subscription.awaitDelivered(head(), java.time.Duration.ofSeconds(30))).isTrue();
        }

        assertThat(types).startsWith("B", "C");
    }

    @Test
    void eight_threads_appending_at_once_lose_nothing_and_never_break_order() throws Exception {
        long start = head() + 1;
        String shared = fresh("shared");
        int threads = 8;
        int appendsEach = 25;
        List<Thread> writers = new ArrayList<>();
        java.util.Set<UUID> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int t = 0; t < threads; t++) {
            String own = fresh("own");
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < appendsEach; i++) {
                    EventData mine = event("Own");
                    EventData common = event("Shared");
                    log.append(own, ExpectedRevision.any(), mine);
                    log.append(shared, ExpectedRevision.any(), common);
                    written.add(mine.id());
                    written.add(common.id());
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }

        List<RecordedEvent> after = readWholeLog().stream().filter(e -> e.position() >= start).toList();
        assertThat(after).hasSize(threads * appendsEach * 2);
        assertThat(after).extracting(RecordedEvent::id).containsExactlyInAnyOrderElementsOf(written);
        assertThat(after).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
        assertThat(log.readStream(shared)).extracting(RecordedEvent::revision)
                .isEqualTo(java.util.stream.LongStream.range(0, threads * appendsEach).boxed().toList());
        assertThat(HashChain.verify(log).intact()).isTrue();
    }

    protected List<RecordedEvent> readWholeLog() {
        List<RecordedEvent> all = new ArrayList<>();
        long next = 0;
        while (true) {
            List<RecordedEvent> page = log.readAll(next, 1_000);
            all.addAll(page);
            if (page.size() < 1_000) {
                return all;
            }
            next = page.getLast().position() + 1;
        }
    }

    protected long head() {
        return log.lastPosition().orElse(-1);
    }

    protected static String fresh(String kind) {
        return kind + "-" + UUID.randomUUID();
    }

    protected static EventData event(String type) {
        return event(type, "{}");
    }

    protected static EventData event(String type, String data) {
        return new EventData(UUID.randomUUID(), type, data, "{\"actor\":\"test\"}");
    }
}
