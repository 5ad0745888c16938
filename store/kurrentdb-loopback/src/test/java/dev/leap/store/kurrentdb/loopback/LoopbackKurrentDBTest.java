package dev.leap.store.kurrentdb.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kurrent.dbclient.AppendStreamRequest;
import io.kurrent.dbclient.AppendToStreamOptions;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.EventDataBuilder;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBConnectionString;
import io.kurrent.dbclient.MultiStreamAppendResponse;
import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.ReadAllOptions;
import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.RecordedEvent;
import io.kurrent.dbclient.ResolvedEvent;
import io.kurrent.dbclient.StreamNotFoundException;
import io.kurrent.dbclient.StreamState;
import io.kurrent.dbclient.WriteResult;
import io.kurrent.dbclient.WrongExpectedVersionException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official client against the loopback node: KurrentDB's behaviour, as the client sees it. */
class LoopbackKurrentDBTest {

    static LoopbackKurrentDB node;
    KurrentDBClient client;

    @BeforeAll
    static void start() {
        node = LoopbackKurrentDB.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @BeforeEach
    void connect() {
        client = KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(node.connectionString()));
    }

    @AfterEach
    void disconnect() throws Exception {
        client.shutdown().get();
    }

    @Test
    void the_node_listens_on_the_loopback_address_only() {
        assertThat(node.connectionString()).startsWith("kurrentdb://127.0.0.1:").endsWith("?tls=false");
    }

    @Test
    void a_new_node_already_holds_kurrentdbs_own_system_events() throws Exception {
        List<ResolvedEvent> first = client.readAll(ReadAllOptions.get().fromStart().maxCount(2)).get().getEvents();

        assertThat(first).extracting(e -> e.getOriginalEvent().getStreamId()).allMatch(s -> s.startsWith("$"));
    }

    @Test
    void appended_events_read_back_forwards_and_backwards_with_their_ids_types_data_and_metadata() throws Exception {
        String stream = fresh();
        EventData a = event("A");
        EventData b = EventDataBuilder.binary(UUID.randomUUID(), "B", new byte[] {1, 2, 3}).metadataAsBytes(bytes("m")).build();

        WriteResult written = client.appendToStream(stream, AppendToStreamOptions.get().streamState(StreamState.noStream()), a, b).get();

        assertThat(written.getNextExpectedRevision()).isEqualTo(StreamState.streamRevision(1));
        List<RecordedEvent> forwards = read(stream, ReadStreamOptions.get().fromStart());
        assertThat(forwards).extracting(RecordedEvent::getEventId).containsExactly(a.getEventId(), b.getEventId());
        assertThat(forwards).extracting(RecordedEvent::getEventType).containsExactly("A", "B");
        assertThat(forwards).extracting(RecordedEvent::getContentType).containsExactly("application/json", "application/octet-stream");
        assertThat(forwards.get(1).getEventData()).containsExactly(1, 2, 3);
        assertThat(forwards.get(1).getUserMetadata()).isEqualTo(bytes("m"));
        assertThat(read(stream, ReadStreamOptions.get().backwards().fromEnd().maxCount(1)))
                .extracting(RecordedEvent::getEventType).containsExactly("B");
        assertThat(read(stream, ReadStreamOptions.get().backwards().fromRevision(99).maxCount(5)))
                .extracting(RecordedEvent::getEventType).containsExactly("B", "A");
        assertThat(read(stream, ReadStreamOptions.get().fromRevision(2))).isEmpty();
    }

    @Test
    void a_stream_that_does_not_exist_is_reported_as_not_found() {
        assertThatThrownBy(() -> client.readStream(fresh(), ReadStreamOptions.get()).get())
                .hasCauseInstanceOf(StreamNotFoundException.class);
    }

    @Test
    void a_wrong_expected_version_names_the_stream_and_both_versions() throws Exception {
        String stream = fresh();
        client.appendToStream(stream, event("A")).get();

        // (Client 1.1.0 decodes a v1 "expected no stream" as revision 0, so this expects a revision.)
        assertThatThrownBy(() -> client.appendToStream(stream,
                AppendToStreamOptions.get().streamState(StreamState.streamRevision(5)), event("B")).get())
                .cause().isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.getStreamName()).isEqualTo(stream);
                    assertThat(e.getExpectedState()).isEqualTo(StreamState.streamRevision(5));
                    assertThat(e.getActualState()).isEqualTo(StreamState.streamRevision(0));
                });
        assertThatThrownBy(() -> client.appendToStream(fresh(),
                AppendToStreamOptions.get().streamState(StreamState.streamExists()), event("B")).get())
                .cause().isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        e -> assertThat(e.getActualState()).isEqualTo(StreamState.noStream()));
    }

    @Test
    void repeating_a_write_at_its_expected_version_is_idempotent_and_writes_nothing() throws Exception {
        String stream = fresh();
        EventData a = event("A");
        EventData b = event("B");
        AppendToStreamOptions fromNothing = AppendToStreamOptions.get().streamState(StreamState.noStream());
        WriteResult first = client.appendToStream(stream, fromNothing, a, b).get();
        long end = node.endOfLog();

        WriteResult again = client.appendToStream(stream, fromNothing, a, b).get();

        assertThat(again.getNextExpectedRevision()).isEqualTo(first.getNextExpectedRevision());
        assertThat(again.getLogPosition()).isEqualTo(first.getLogPosition());
        assertThat(node.endOfLog()).isEqualTo(end);
        assertThatThrownBy(() -> client.appendToStream(stream, fromNothing, a, event("C")).get())
                .hasCauseInstanceOf(WrongExpectedVersionException.class);
    }

    @Test
    void a_multi_stream_append_writes_every_stream_or_none() throws Exception {
        String x = fresh();
        String y = fresh();
        client.appendToStream(y, event("Y0")).get();
        long end = node.endOfLog();

        assertThatThrownBy(() -> client.multiStreamAppend(List.of(
                        new AppendStreamRequest(x, List.of(event("X0")).iterator(), StreamState.noStream()),
                        new AppendStreamRequest(y, List.of(event("Y1")).iterator(), StreamState.noStream())).iterator())
                .get())
                .cause().isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.getStreamName()).isEqualTo(y);
                    assertThat(e.getExpectedState()).isEqualTo(StreamState.noStream());
                    assertThat(e.getActualState()).isEqualTo(StreamState.streamRevision(0));
                });
        assertThat(node.endOfLog()).isEqualTo(end);

        MultiStreamAppendResponse written = client.multiStreamAppend(List.of(
                new AppendStreamRequest(x, List.of(event("X0"), event("X1")).iterator(), StreamState.noStream()),
                new AppendStreamRequest(y, List.of(event("Y1")).iterator(), StreamState.streamRevision(0))).iterator())
                .get();

        assertThat(written.getResults()).extracting(r -> r.getStreamRevision()).containsExactly(1L, 1L);
        List<RecordedEvent> all = readAll(ReadAllOptions.get().fromPosition(position(read(x, ReadStreamOptions.get()).getFirst())));
        assertThat(all).extracting(RecordedEvent::getEventType).containsExactly("X0", "X1", "Y1");
        assertThat(written.getPosition()).isEqualTo(all.getLast().getPosition().getCommitUnsigned());
    }

    @Test
    void a_session_may_name_a_stream_only_once() {
        String x = fresh();

        assertThatThrownBy(() -> client.multiStreamAppend(List.of(
                        new AppendStreamRequest(x, List.of(event("A")).iterator(), StreamState.any()),
                        new AppendStreamRequest(x.toUpperCase(), List.of(event("B")).iterator(), StreamState.any())).iterator())
                .get())
                .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
    }

    @Test
    void properties_of_a_multi_stream_append_read_back_as_a_json_object_with_the_schema() throws Exception {
        String stream = fresh();
        EventData event = EventDataBuilder.json(UUID.randomUUID(), "Tagged", bytes("{}"))
                .metadataAsBytes(bytes("{\"tenant\":\"acme\"}")).build();

        client.multiStreamAppend(List.of(new AppendStreamRequest(stream, List.of(event).iterator(), StreamState.any())).iterator()).get();

        assertThat(new String(read(stream, ReadStreamOptions.get()).getFirst().getUserMetadata(), StandardCharsets.UTF_8))
                .contains("\"tenant\":\"acme\"")
                .contains("\"$schema.name\":\"Tagged\"")
                .contains("\"$schema.format\":\"Json\"");
    }

    @Test
    void all_reads_forwards_from_a_record_inclusive_and_backwards_from_it_exclusive() throws Exception {
        String stream = fresh();
        client.appendToStream(stream, event("A"), event("B"), event("C")).get();
        Position b = position(read(stream, ReadStreamOptions.get()).get(1));

        assertThat(readAll(ReadAllOptions.get().fromPosition(b).maxCount(2)))
                .extracting(RecordedEvent::getEventType).containsExactly("B", "C");
        assertThat(readAll(ReadAllOptions.get().backwards().fromPosition(b).maxCount(1)))
                .extracting(RecordedEvent::getEventType).containsExactly("A");
        assertThat(readAll(ReadAllOptions.get().backwards().fromEnd().maxCount(1)))
                .extracting(RecordedEvent::getEventType).containsExactly("C");
    }

    @Test
    void all_cannot_be_read_from_inside_a_record() throws Exception {
        String stream = fresh();
        client.appendToStream(stream, event("A"), event("B")).get();
        long insideA = read(stream, ReadStreamOptions.get()).getFirst().getPosition().getCommitUnsigned() + 1;

        assertThatThrownBy(() -> client.readAll(ReadAllOptions.get().fromPosition(new Position(insideA, insideA))).get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("invalid position");
    }

    private List<RecordedEvent> read(String stream, ReadStreamOptions options) throws Exception {
        return client.readStream(stream, options).get().getEvents().stream().map(ResolvedEvent::getOriginalEvent).toList();
    }

    private List<RecordedEvent> readAll(ReadAllOptions options) throws Exception {
        return client.readAll(options).get().getEvents().stream().map(ResolvedEvent::getOriginalEvent).toList();
    }

    private static Position position(RecordedEvent event) {
        return event.getPosition();
    }

    private static String fresh() {
        return "stream-" + UUID.randomUUID();
    }

    private static EventData event(String type) {
        return EventDataBuilder.json(UUID.randomUUID(), type, bytes("{}")).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
