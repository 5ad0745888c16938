package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PositionsTest {

    @Test
    void positions_grow_with_the_chain_revision_then_the_index_within_the_append() {
        assertThat(Positions.of(0, 0)).isZero();
        assertThat(Positions.of(0, Positions.MAX_EVENTS_PER_APPEND - 1)).isLessThan(Positions.of(1, 0));
        assertThat(Positions.chainRevision(Positions.of(42, 7))).isEqualTo(42);
        assertThat(Positions.chainRevision(Positions.of(42, 7) + 1)).isEqualTo(42);
        assertThat(Positions.chainRevision(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE >>> Positions.INDEX_BITS);
    }

    @Test
    void an_append_holds_at_most_a_million_events() {
        assertThatThrownBy(() -> Positions.of(0, Positions.MAX_EVENTS_PER_APPEND))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Positions.MAX_EVENTS_PER_APPEND).isEqualTo(1_048_576);
    }
}
