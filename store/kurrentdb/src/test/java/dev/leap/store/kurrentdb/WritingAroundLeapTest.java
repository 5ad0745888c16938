package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.HashChain;
import dev.leap.store.RecordedEvent;
import dev.leap.store.StorageException;
import io.kurrent.dbclient.EventDataBuilder;
import io.kurrent.dbclient.KurrentDBClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Other writers of the same database: KurrentDB itself, other applications, someone tampering. */
class WritingAroundLeapTest {

    @RegisterExtension
    static final KurrentDBUnderTest kurrentdb = new KurrentDBUnderTest();

    @Test
    void events_of_kurrentdb_itself_and_of_other_applications_are_not_part_of_the_log() throws Exception {
        try (KurrentEventLog log = kurrentdb.open()) {
            long start = log.lastPosition().orElse(-1) + 1;
            String stream = "record-" + UUID.randomUUID();
            log.append(stream, ExpectedRevision.noStream(), EventData.of("Before", "{}"));
            KurrentDBClient client = kurrentdb.client();
            try {
                // A stream name Leap cannot have, and a system event type.
                client.appendToStream("orders/" + UUID.randomUUID(), json("OrderPlaced")).get();
                client.appendToStream("audit-" + UUID.randomUUID(), json("$audit-started")).get();
            } finally {
                client.shutdown().get();
            }
            log.append(stream, ExpectedRevision.exactly(0), EventData.of("After", "{}"));

            List<RecordedEvent> read = log.readAll(start, 100);

            assertThat(read).extracting(RecordedEvent::type).containsExactly("Before", "After");
            assertThat(read.get(1).hash()).isEqualTo(HashChain.link(read.get(0).hash(), read.get(1)));
            assertThat(log.readAll(Long.MAX_VALUE, 2, dev.leap.store.Direction.BACKWARDS))
                    .extracting(RecordedEvent::type).containsExactly("After", "Before");
        }
    }

    @Test
    void an_event_written_around_leap_into_one_of_its_streams_is_reported_not_skipped() throws Exception {
        // It stays in $all for good: only a throwaway loopback node may receive it.
        assumeTrue(kurrentdb.loopback().isPresent(), "writes an event no later reader of a real database could get past");
        try (KurrentEventLog log = kurrentdb.open()) {
            String stream = "record-" + UUID.randomUUID();
            log.append(stream, ExpectedRevision.noStream(), EventData.of("RecordCreated", "{}"));
            KurrentDBClient client = kurrentdb.client();
            try {
                client.appendToStream(stream, json("RecordDeleted")).get();
            } finally {
                client.shutdown().get();
            }

            assertThatThrownBy(() -> log.readStream(stream))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("revision 1 of stream '" + stream + "'")
                    .hasMessageContaining("was not written by Leap");
            assertThatThrownBy(() -> HashChain.verify(log)).isInstanceOf(StorageException.class);
        }
    }

    @Test
    void a_forged_claim_that_points_at_another_event_is_reported_when_the_event_is_read_by_id() throws Exception {
        try (KurrentEventLog log = kurrentdb.open()) {
            String stream = "record-" + UUID.randomUUID();
            log.append(stream, ExpectedRevision.noStream(), EventData.of("RecordCreated", "{}"));
            UUID forged = UUID.randomUUID();
            KurrentDBClient client = kurrentdb.client();
            try {
                // A claim stream is bookkeeping, not part of the log, so this leaves any database readable.
                client.appendToStream(BookkeepingStreams.claimOf(forged), EventDataBuilder.json(UUID.randomUUID(),
                        IdClaim.TYPE, new IdClaim(stream, 0, 0).toJson()).build()).get();
            } finally {
                client.shutdown().get();
            }

            assertThatThrownBy(() -> log.readEvent(forged))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("revision 0 of stream '" + stream + "', which does not hold it");
        }
    }

    private static io.kurrent.dbclient.EventData json(String type) {
        return EventDataBuilder.json(UUID.randomUUID(), type, "{}".getBytes(StandardCharsets.UTF_8)).build();
    }
}
