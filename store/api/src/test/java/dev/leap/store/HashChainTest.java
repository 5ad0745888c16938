package dev.leap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HashChainTest {

    static final UUID ID = UUID.fromString("0d2adde0-fc1b-52d3-a45f-9edebab3247c");
    static final Instant AT = Instant.parse("2026-11-18T11:06:40.123456Z");

    @Test
    void the_canonical_bytes_are_the_documented_layout() {
        // Pinned from an independent implementation of the documented layout (Python's hashlib):
        // an auditor can verify a log without Leap's code.
        assertThat(HashChain.link(HashChain.GENESIS, "record-ann", 0, ID, "RecordCreated", "{\"name\":\"Zoë\"}",
                "{\"actor\":\"agent\"}", AT)).isEqualTo("8965fdf0526c1d13e8f2226bda1ca92667ec6ade06c55ab8b7c22dd8f4c103e0");
    }

    @Test
    void every_hashed_field_changes_the_hash() {
        String base = HashChain.link(HashChain.GENESIS, "s", 0, ID, "T", "{}", "{}", AT);

        assertThat(List.of(
                HashChain.link("1".repeat(64), "s", 0, ID, "T", "{}", "{}", AT),
                HashChain.link(HashChain.GENESIS, "t", 0, ID, "T", "{}", "{}", AT),
                HashChain.link(HashChain.GENESIS, "s", 1, ID, "T", "{}", "{}", AT),
                HashChain.link(HashChain.GENESIS, "s", 0, UUID.randomUUID(), "T", "{}", "{}", AT),
                HashChain.link(HashChain.GENESIS, "s", 0, ID, "U", "{}", "{}", AT),
                HashChain.link(HashChain.GENESIS, "s", 0, ID, "T", "{ }", "{}", AT),
                HashChain.link(HashChain.GENESIS, "s", 0, ID, "T", "{}", "{ }", AT),
                HashChain.link(HashChain.GENESIS, "s", 0, ID, "T", "{}", "{}", AT.plusNanos(1_000))))
                .doesNotContain(base).doesNotHaveDuplicates();
    }

    @Test
    void length_prefixes_keep_adjacent_fields_apart() {
        assertThat(HashChain.link(HashChain.GENESIS, "s", 0, ID, "ab", "c", "{}", AT))
                .isNotEqualTo(HashChain.link(HashChain.GENESIS, "s", 0, ID, "a", "bc", "{}", AT));
    }

    @Test
    void verify_names_the_first_event_that_does_not_follow() {
        List<RecordedEvent> chain = new ArrayList<>();
        String previous = HashChain.GENESIS;
        for (int i = 0; i < 5; i++) {
            String hash = HashChain.link(previous, "s", i, new UUID(0, i), "T", "{\"i\":" + i + "}", "{}", AT);
            chain.add(new RecordedEvent(i, "s", i, new UUID(0, i), "T", "{\"i\":" + i + "}", "{}", AT, hash));
            previous = hash;
        }
        RecordedEvent third = chain.get(2);
        List<RecordedEvent> tampered = new ArrayList<>(chain);
        tampered.set(2, new RecordedEvent(2, "s", 2, third.id(), "T", "{\"i\":99}", "{}", AT, third.hash()));

        assertThat(HashChain.verify(readAll(chain))).isEqualTo(new HashChain.Verification(5, HashChain.Verification.INTACT));
        assertThat(HashChain.verify(readAll(tampered))).isEqualTo(new HashChain.Verification(2, 2));
    }

    private static ReadAll readAll(List<RecordedEvent> events) {
        return (from, max, direction) -> events.stream().filter(e -> e.position() >= from).limit(max).toList();
    }
}
