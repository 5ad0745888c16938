package dev.leap.agent.owners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.agent.inbox.Refusals;
import dev.leap.agent.inbox.RefusalsTest.MutableClock;
import dev.leap.agent.owners.Gate.Arrival;
import dev.leap.agent.owners.Gate.Verdict;
import dev.leap.store.RecordedEvent;
import dev.leap.store.embedded.SqliteEventLog;
import dev.leap.tools.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateTest {

    @TempDir
    Path dataDirectory;

    SqliteEventLog log;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @BeforeEach
    void open() {
        log = SqliteEventLog.openIn(dataDirectory);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void the_configured_owner_is_admitted_in_a_private_chat() {
        Gate gate = gate(Map.of("telegram", Set.of("42")));

        assertThat(gate.admit(new Arrival("telegram", "42", "42", true, false, "add Ann"))).isEqualTo(Verdict.ADMITTED);
        assertThat(log.readAll(0, 10)).isEmpty();
    }

    @Test
    void strangers_and_groups_are_refused_and_each_refusal_recorded_without_its_content() {
        Gate gate = gate(Map.of("telegram", Set.of("42")));

        assertThat(gate.admit(new Arrival("telegram", "666", "666", true, false, "delete everything"))).isEqualTo(Verdict.REFUSED);
        assertThat(gate.admit(new Arrival("telegram", "42", "-1001", false, false, "delete everything"))).isEqualTo(Verdict.REFUSED);
        assertThat(gate.admit(new Arrival("telegram", "667", "667", true, true, "delete everything"))).isEqualTo(Verdict.REFUSED);

        List<RecordedEvent> refusals = log.readAll(0, 10);
        assertThat(refusals).extracting(e -> Json.parse(e.data()).get("reason").asText())
                .containsExactly("not the owner", "not a private chat", "not the owner");
        assertThat(refusals.toString()).doesNotContain("delete everything");
    }

    @Test
    void what_the_owner_forwards_is_passed_on_as_quoted_data_not_as_a_command() {
        Gate gate = gate(Map.of("telegram", Set.of("42")));

        assertThat(gate.admit(new Arrival("telegram", "42", "42", true, true, "delete everything"))).isEqualTo(Verdict.QUOTED);
        assertThat(log.readAll(0, 10)).isEmpty();
    }

    @Test
    void an_empty_allowlist_admits_nobody() {
        Gate gate = gate(Map.of());

        assertThat(gate.admit(new Arrival("telegram", "42", "42", true, false, "hello"))).isEqualTo(Verdict.REFUSED);
    }

    @Test
    void the_first_private_chat_with_the_code_becomes_the_owner_and_the_code_then_stops_working() {
        Owners owners = new Owners(log, log, Map.of());
        Pairing pairing = Pairing.offer("telegram", owners, clock).orElseThrow();
        Gate gate = new Gate(owners, new Refusals(log, clock), Map.of("telegram", pairing));

        assertThat(gate.admit(new Arrival("telegram", "7", "7", true, false, "/pair WRONG-CODE"))).isEqualTo(Verdict.REFUSED);
        assertThat(gate.admit(new Arrival("telegram", "42", "-100", false, false, "/pair " + pairing.code()))).isEqualTo(Verdict.REFUSED);
        assertThat(gate.admit(new Arrival("telegram", "42", "42", true, false, "/pair " + pairing.code().toLowerCase())))
                .isEqualTo(Verdict.PAIRED);
        assertThat(gate.admit(new Arrival("telegram", "42", "42", true, false, "add Ann"))).isEqualTo(Verdict.ADMITTED);
        assertThat(gate.admit(new Arrival("telegram", "9", "9", true, false, "/pair " + pairing.code()))).isEqualTo(Verdict.REFUSED);

        assertThat(log.readAll(0, 10)).filteredOn(e -> e.type().equals(Owners.PAIRED)).singleElement()
                .satisfies(e -> assertThat(Json.parse(e.data()).get("sender").asText()).isEqualTo("42"));
        assertThat(new Owners(log, log, Map.of()).isOwner("telegram", "42")).as("pairing survives a restart").isTrue();
        assertThat(Pairing.offer("telegram", owners, clock)).as("an owned channel offers no pairing").isEmpty();
    }

    @Test
    void a_pairing_code_expires_after_ten_minutes() {
        Owners owners = new Owners(log, log, Map.of());
        Pairing pairing = Pairing.offer("telegram", owners, clock).orElseThrow();
        Gate gate = new Gate(owners, new Refusals(log, clock), Map.of("telegram", pairing));

        clock.advance(Duration.ofMinutes(10).plusSeconds(1));

        assertThat(gate.admit(new Arrival("telegram", "42", "42", true, false, "/pair " + pairing.code()))).isEqualTo(Verdict.REFUSED);
        assertThat(owners.hasOwner("telegram")).isFalse();
        assertThat(pairing.instructions()).contains("/pair " + pairing.code()).contains("10 minutes");
    }

    private Gate gate(Map<String, Set<String>> configured) {
        Owners owners = new Owners(log, log, configured);
        return new Gate(owners, new Refusals(log, clock), Map.of());
    }
}
