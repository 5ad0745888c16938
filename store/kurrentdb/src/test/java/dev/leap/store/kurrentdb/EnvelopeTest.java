package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private final Envelope envelope = new Envelope(5L << 20 | 3, Instant.parse("2026-01-02T03:04:05.123456Z"),
            "ab".repeat(32), "{\"turnId\":\"t-1\", \"n\" : 1.0}");

    @Test
    void an_envelope_reads_back_from_the_metadata_kurrentdb_synthesises_from_its_properties() {
        String stored = new String(envelope.toProperties(), StandardCharsets.UTF_8);
        // KurrentDB adds its schema keys, and OpenTelemetry may add trace ids.
        String synthesised = stored.substring(0, stored.length() - 1)
                + ",\"$schema.name\":\"RecordCreated\",\"$schema.format\":\"Json\",\"$traceId\":\"x\"}";

        assertThat(Envelope.fromProperties(synthesised.getBytes(StandardCharsets.UTF_8))).contains(envelope);
    }

    @Test
    void metadata_without_an_envelope_is_not_one() {
        assertThat(Envelope.fromProperties(new byte[0])).isEmpty();
        assertThat(Envelope.fromProperties("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(Envelope.fromProperties("{\"actor\":\"owner\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(Envelope.fromProperties(
                "{\"leap.position\":\"x\",\"leap.recordedAt\":\"2026-01-01T00:00:00Z\",\"leap.hash\":\"h\",\"leap.metadata\":\"{}\"}"
                        .getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void an_envelope_keeps_time_in_microseconds() {
        assertThatThrownBy(() -> new Envelope(0, Instant.parse("2026-01-01T00:00:00.000000001Z"), "h", "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("microseconds");
    }
}
