package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.store.AppendResult;
import dev.leap.store.EventData;
import dev.leap.store.HashChain;
import io.kurrent.dbclient.AppendStreamRequest;
import io.kurrent.dbclient.StreamState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppendPlanTest {

    private final ChainHead head = new ChainHead(6, "ab".repeat(32), Instant.parse("2026-03-01T10:00:00.000001Z"));
    private final List<EventData> events = List.of(EventData.of("A", "{\"a\":1}"), EventData.of("B", "{}"));
    private final Snapshot snapshot = new Snapshot(head, 2, List.of(Optional.empty(), Optional.empty()));

    @Test
    void the_events_come_first_then_one_claim_per_event_then_the_chain_link_each_with_an_exact_expectation() {
        AppendPlan plan = AppendPlan.of("record-a", events, snapshot, Instant.parse("2026-03-01T10:00:01Z"));

        assertThat(plan.requests()).extracting(AppendStreamRequest::getStreamName).containsExactly(
                "record-a",
                BookkeepingStreams.claimOf(events.get(0).id()),
                BookkeepingStreams.claimOf(events.get(1).id()),
                BookkeepingStreams.CHAIN);
        assertThat(plan.requests()).extracting(AppendStreamRequest::getExpectedState).containsExactly(
                StreamState.streamRevision(2), StreamState.noStream(), StreamState.noStream(), StreamState.streamRevision(6));
        assertThat(plan.result()).isEqualTo(new AppendResult("record-a", 3, 4, Positions.of(7, 0), Positions.of(7, 1)));
    }

    @Test
    void the_hashes_continue_from_the_head_and_the_link_holds_the_last_one() {
        Instant now = Instant.parse("2026-03-01T10:00:01.123456789Z");
        AppendPlan plan = AppendPlan.of("record-a", events, snapshot, now);

        List<io.kurrent.dbclient.EventData> stored = drain(plan.requests().getFirst());
        Envelope first = Envelope.fromProperties(stored.get(0).getUserMetadata()).orElseThrow();
        Envelope second = Envelope.fromProperties(stored.get(1).getUserMetadata()).orElseThrow();
        Instant micros = Instant.parse("2026-03-01T10:00:01.123456Z");
        assertThat(first.hash()).isEqualTo(HashChain.link(head.hash(), "record-a", 3, events.get(0).id(), "A",
                "{\"a\":1}", "{}", micros));
        assertThat(second.hash()).isEqualTo(HashChain.link(first.hash(), "record-a", 4, events.get(1).id(), "B",
                "{}", "{}", micros));
        ChainLink link = ChainLink.fromJson(drain(plan.requests().getLast()).getFirst().getEventData(), 7);
        assertThat(link).isEqualTo(new ChainLink(second.hash(), micros, "record-a", 3, 2));
    }

    @Test
    void a_clock_behind_the_head_records_the_heads_time() {
        AppendPlan plan = AppendPlan.of("record-a", events, snapshot, Instant.parse("2020-01-01T00:00:00Z"));

        Envelope envelope = Envelope.fromProperties(drain(plan.requests().getFirst()).getFirst().getUserMetadata())
                .orElseThrow();
        assertThat(envelope.recordedAt()).isEqualTo(head.recordedAt());
    }

    @Test
    void a_new_stream_and_a_new_chain_are_expected_not_to_exist() {
        Snapshot empty = new Snapshot(ChainHead.GENESIS, -1, List.of(Optional.empty(), Optional.empty()));

        AppendPlan plan = AppendPlan.of("record-a", events, empty, Instant.now());

        assertThat(plan.requests().getFirst().getExpectedState()).isEqualTo(StreamState.noStream());
        assertThat(plan.requests().getLast().getExpectedState()).isEqualTo(StreamState.noStream());
        assertThat(plan.result().firstPosition()).isZero();
    }

    private static List<io.kurrent.dbclient.EventData> drain(AppendStreamRequest request) {
        List<io.kurrent.dbclient.EventData> events = new ArrayList<>();
        request.getEvents().forEachRemaining(events::add);
        return events;
    }
}
