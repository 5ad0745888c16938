package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.store.AppendResult;
import dev.leap.store.EventData;
import dev.leap.store.EventIdConflictException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the id claims decide between a first append, a retry and a conflict. */
class SnapshotTest {

    private final EventData a = EventData.of("A", "{}");
    private final EventData b = EventData.of("B", "{}");
    private final Optional<IdClaim> aClaimed = Optional.of(new IdClaim("record-x", 4, Positions.of(9, 0)));
    private final Optional<IdClaim> bClaimed = Optional.of(new IdClaim("record-x", 5, Positions.of(9, 1)));

    @Test
    void no_claimed_id_is_a_first_append() {
        assertThat(snapshot(Optional.empty(), Optional.empty()).earlierAppend("record-x", List.of(a, b))).isEmpty();
    }

    @Test
    void every_id_claimed_by_the_stream_is_a_retry_that_returns_the_original_result() {
        assertThat(snapshot(aClaimed, bClaimed).earlierAppend("record-x", List.of(a, b)))
                .contains(new AppendResult("record-x", 4, 5, Positions.of(9, 0), Positions.of(9, 1)));
    }

    @Test
    void some_ids_claimed_is_a_conflict_naming_the_first_event_that_does_not_fit() {
        assertThatThrownBy(() -> snapshot(aClaimed, Optional.empty()).earlierAppend("record-x", List.of(a, b)))
                .isInstanceOfSatisfying(EventIdConflictException.class, e -> assertThat(e.eventId()).isEqualTo(b.id()));
        assertThatThrownBy(() -> snapshot(Optional.empty(), aClaimed).earlierAppend("record-x", List.of(b, a)))
                .isInstanceOfSatisfying(EventIdConflictException.class, e -> assertThat(e.eventId()).isEqualTo(a.id()));
    }

    @Test
    void an_id_claimed_by_another_stream_is_a_conflict_naming_that_stream() {
        assertThatThrownBy(() -> snapshot(aClaimed).earlierAppend("record-y", List.of(a)))
                .isInstanceOf(EventIdConflictException.class)
                .hasMessageContaining("record-x");
    }

    private static Snapshot snapshot(Optional<IdClaim> claim) {
        return new Snapshot(ChainHead.GENESIS, -1, List.of(claim));
    }

    private static Snapshot snapshot(Optional<IdClaim> first, Optional<IdClaim> second) {
        return new Snapshot(ChainHead.GENESIS, -1, List.of(first, second));
    }
}
