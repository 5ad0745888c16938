package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.leap.store.AppendResult;
import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.RecordedEvent;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.ResolvedEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What an append leaves in KurrentDB, as any other KurrentDB client sees it. */
class StoredShapeTest {

    @RegisterExtension
    static final KurrentDBUnderTest kurrentdb = new KurrentDBUnderTest();

    private static final JsonMapper JSON = new JsonMapper();

    KurrentEventLog log;
    KurrentDBClient client;

    @BeforeEach
    void connect() {
        log = kurrentdb.open();
        client = kurrentdb.client();
    }

    @AfterEach
    void disconnect() throws Exception {
        client.shutdown().get();
        log.close();
    }

    @Test
    void an_event_is_a_kurrentdb_event_of_the_same_stream_id_type_and_data_with_leaps_envelope_in_its_metadata()
            throws Exception {
        String stream = "record-" + UUID.randomUUID();
        String metadata = "{ \"turnId\" : \"t-1\",\"n\":1.50 }"; // odd spacing and number text survive as written
        EventData event = new EventData(UUID.randomUUID(), "RecordCreated", "{\"name\":\"Zoë\"}", metadata);

        log.append(stream, ExpectedRevision.noStream(), event);

        io.kurrent.dbclient.RecordedEvent stored = only(stream);
        RecordedEvent recorded = log.readStream(stream).getFirst();
        assertThat(stored.getEventId()).isEqualTo(event.id());
        assertThat(stored.getEventType()).isEqualTo("RecordCreated");
        assertThat(stored.getRevision()).isZero();
        assertThat(stored.getContentType()).isEqualTo("application/json");
        assertThat(new String(stored.getEventData(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Zoë\"}");
        JsonNode properties = JSON.readTree(stored.getUserMetadata());
        assertThat(properties.get("leap.metadata").textValue()).isEqualTo(metadata);
        assertThat(properties.get("leap.hash").textValue()).isEqualTo(recorded.hash());
        assertThat(properties.get("leap.position").textValue()).isEqualTo(Long.toString(recorded.position()));
        assertThat(properties.get("leap.recordedAt").textValue()).isEqualTo(recorded.recordedAt().toString());
        assertThat(recorded.metadata()).isEqualTo(metadata);
    }

    @Test
    void each_event_id_is_claimed_in_a_stream_of_its_own_and_each_append_adds_one_chain_link() throws Exception {
        String stream = "record-" + UUID.randomUUID();
        List<EventData> events = List.of(EventData.of("A", "{}"), EventData.of("B", "{}"));

        AppendResult result = log.append(stream, ExpectedRevision.noStream(), events);

        for (int i = 0; i < events.size(); i++) {
            JsonNode claim = JSON.readTree(only(BookkeepingStreams.claimOf(events.get(i).id())).getEventData());
            assertThat(claim.get("stream").textValue()).isEqualTo(stream);
            assertThat(claim.get("revision").longValue()).isEqualTo(i);
            assertThat(claim.get("position").longValue()).isEqualTo(result.firstPosition() + i);
        }
        io.kurrent.dbclient.RecordedEvent link = last(BookkeepingStreams.CHAIN);
        JsonNode linked = JSON.readTree(link.getEventData());
        assertThat(link.getEventType()).isEqualTo(ChainLink.TYPE);
        assertThat(linked.get("hash").textValue()).isEqualTo(log.readStream(stream).getLast().hash());
        assertThat(linked.get("stream").textValue()).isEqualTo(stream);
        assertThat(linked.get("count").intValue()).isEqualTo(2);
        assertThat(Positions.chainRevision(result.firstPosition())).isEqualTo(link.getRevision());
    }

    @Test
    void leaps_events_precede_their_claims_and_chain_link_in_all() throws Exception {
        String stream = "record-" + UUID.randomUUID();
        EventData event = EventData.of("A", "{}");

        log.append(stream, ExpectedRevision.noStream(), event);

        long eventAt = only(stream).getPosition().getCommitUnsigned();
        long claimAt = only(BookkeepingStreams.claimOf(event.id())).getPosition().getCommitUnsigned();
        long linkAt = last(BookkeepingStreams.CHAIN).getPosition().getCommitUnsigned();
        assertThat(eventAt).isLessThan(claimAt);
        assertThat(claimAt).isLessThan(linkAt);
    }

    private io.kurrent.dbclient.RecordedEvent only(String stream) throws Exception {
        List<ResolvedEvent> events = client.readStream(stream, ReadStreamOptions.get().fromStart()).get().getEvents();
        assertThat(events).hasSize(1);
        return events.getFirst().getOriginalEvent();
    }

    private io.kurrent.dbclient.RecordedEvent last(String stream) throws Exception {
        return client.readStream(stream, ReadStreamOptions.get().backwards().fromEnd().maxCount(1)).get()
                .getEvents().getFirst().getOriginalEvent();
    }
}
