package dev.leap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LogVerificationTest {

    static final Instant AT = Instant.parse("2026-11-18T11:06:40.123456Z");

    @Test
    void an_intact_log_reports_every_event_and_names_the_newest_with_its_hash() {
        List<RecordedEvent> chain = chain(5);

        LogVerification report = LogVerification.of(readAll(chain));

        assertThat(report.intact()).isTrue();
        assertThat(report.eventsVerified()).isEqualTo(5);
        assertThat(report.firstBadPosition()).isEqualTo(LogVerification.INTACT);
        assertThat(report.expectedHash()).isNull();
        assertThat(report.storedHash()).isNull();
        assertThat(report.lastVerifiedPosition()).isEqualTo(4);
        assertThat(report.lastVerifiedHash()).isEqualTo(chain.getLast().hash());
        assertThat(report.summary()).contains("intact", "5 events verified", "position 4", chain.getLast().hash());
    }

    @Test
    void a_broken_link_is_reported_with_the_hash_it_should_carry_and_the_one_it_carries() {
        List<RecordedEvent> chain = chain(5);
        RecordedEvent third = chain.get(2);
        chain.set(2, new RecordedEvent(2, "s", 2, third.id(), "T", "{\"i\":99}", "{}", AT, third.hash()));

        LogVerification report = LogVerification.of(readAll(chain));

        String expected = HashChain.link(chain.get(1).hash(), chain.get(2));
        assertThat(report).isEqualTo(new LogVerification(2, 2, expected, third.hash(), 1, chain.get(1).hash()));
        assertThat(report.summary()).contains("breaks at position 2", expected, third.hash(), "2 events before it");
    }

    @Test
    void a_bad_first_event_is_reported_with_nothing_verified_before_it() {
        List<RecordedEvent> chain = chain(3);
        RecordedEvent first = chain.getFirst();
        chain.set(0, new RecordedEvent(0, "s", 0, first.id(), "T", "{}", "{}", AT, "f".repeat(64)));

        LogVerification report = LogVerification.of(readAll(chain));

        assertThat(report.firstBadPosition()).isZero();
        assertThat(report.eventsVerified()).isZero();
        assertThat(report.lastVerifiedPosition()).isEqualTo(-1);
        assertThat(report.lastVerifiedHash()).isEqualTo(HashChain.GENESIS);
    }

    @Test
    void an_empty_log_is_intact_and_says_there_is_nothing_to_verify() {
        LogVerification report = LogVerification.of(readAll(List.of()));

        assertThat(report).isEqualTo(new LogVerification(0, LogVerification.INTACT, null, null, -1, HashChain.GENESIS));
        assertThat(report.summary()).contains("empty");
    }

    @Test
    void a_log_longer_than_one_page_is_walked_to_its_end() {
        List<RecordedEvent> chain = chain(10_000);

        assertThat(LogVerification.of(readAll(chain)).eventsVerified()).isEqualTo(10_000);
        assertThat(HashChain.verify(readAll(chain))).isEqualTo(new HashChain.Verification(10_000, HashChain.Verification.INTACT));
    }

    @Test
    void hashes_are_given_exactly_when_the_chain_is_broken() {
        assertThatThrownBy(() -> new LogVerification(1, LogVerification.INTACT, "a", "b", 0, HashChain.GENESIS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogVerification(1, 1, null, null, 0, HashChain.GENESIS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<RecordedEvent> chain(int length) {
        List<RecordedEvent> chain = new ArrayList<>();
        String previous = HashChain.GENESIS;
        for (int i = 0; i < length; i++) {
            String data = "{\"i\":" + i + "}";
            String hash = HashChain.link(previous, "s", i, new UUID(0, i), "T", data, "{}", AT);
            chain.add(new RecordedEvent(i, "s", i, new UUID(0, i), "T", data, "{}", AT, hash));
            previous = hash;
        }
        return chain;
    }

    private static ReadAll readAll(List<RecordedEvent> events) {
        return (from, max, direction) -> events.stream().filter(e -> e.position() >= from).limit(max).toList();
    }
}
