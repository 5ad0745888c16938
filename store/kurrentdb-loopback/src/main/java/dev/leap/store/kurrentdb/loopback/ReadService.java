package dev.leap.store.kurrentdb.loopback;

import io.grpc.stub.StreamObserver;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadReq;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The v1 {@code Streams.Read} call for what clients read with a count: a stream or {@code $all},
 * forwards or backwards, from a revision or position, the start or the end. Subscriptions and
 * server-side filters are not implemented.
 */
final class ReadService {

    private final Log log;

    ReadService(Log log) {
        this.log = log;
    }

    void read(ReadReq request, StreamObserver<ReadResp> responses) {
        ReadReq.Options options = request.getOptions();
        if (options.getCountOptionCase() != ReadReq.Options.CountOptionCase.COUNT) {
            responses.onError(ApiErrors.unimplemented("subscriptions"));
            return;
        }
        if (options.getFilterOptionCase() == ReadReq.Options.FilterOptionCase.FILTER) {
            responses.onError(ApiErrors.unimplemented("filtered reads"));
            return;
        }
        boolean structuredIds = options.getUuidOption().getContentCase() != ReadReq.Options.UUIDOption.ContentCase.STRING;
        boolean forwards = options.getReadDirection() == ReadReq.Options.ReadDirection.Forwards;
        switch (options.getStreamOptionCase()) {
            case STREAM -> readStream(options, forwards, structuredIds, responses);
            case ALL -> readAll(options, forwards, structuredIds, responses);
            default -> responses.onError(ApiErrors.invalidArgument("a read names a stream or $all"));
        }
    }

    private void readStream(ReadReq.Options options, boolean forwards, boolean structuredIds,
            StreamObserver<ReadResp> responses) {
        ReadReq.Options.StreamOptions stream = options.getStream();
        String name = stream.getStreamIdentifier().getStreamName().toString(StandardCharsets.UTF_8);
        long from = switch (stream.getRevisionOptionCase()) {
            case REVISION -> stream.getRevision();
            case END -> -1; // KurrentDB's "end": the last event
            default -> forwards ? 0 : -1;
        };
        long count = options.getCount();
        Optional<List<StoredEvent>> events = forwards
                ? log.readStreamForwards(name, from, count)
                : log.readStreamBackwards(name, from, count);
        if (events.isEmpty()) {
            responses.onNext(ReadResp.newBuilder()
                    .setStreamNotFound(ReadResp.StreamNotFound.newBuilder()
                            .setStreamIdentifier(WireEvents.streamIdentifier(name)))
                    .build());
            responses.onCompleted();
            return;
        }
        for (StoredEvent event : events.get()) {
            responses.onNext(ReadResp.newBuilder().setEvent(WireEvents.toReadEvent(event, structuredIds)).build());
        }
        if (options.getControlOption().getCompatibility() >= 1) {
            responses.onNext(ReadResp.newBuilder().setLastStreamPosition(log.lastRevision(name)).build());
        }
        responses.onCompleted();
    }

    private void readAll(ReadReq.Options options, boolean forwards, boolean structuredIds,
            StreamObserver<ReadResp> responses) {
        ReadReq.Options.AllOptions all = options.getAll();
        long count = options.getCount();
        List<StoredEvent> events;
        try {
            events = switch (all.getAllOptionCase()) {
                case POSITION -> forwards
                        ? log.readAllForwards(all.getPosition().getCommitPosition(), count)
                        : log.readAllBackwards(all.getPosition().getCommitPosition(), count);
                case END -> forwards ? List.of() : log.readAllBackwards(Long.MAX_VALUE, count);
                default -> forwards ? log.readAllForwards(0, count) : List.of();
            };
        } catch (Log.InvalidPositionException e) {
            responses.onError(ApiErrors.invalidPosition());
            return;
        }
        for (StoredEvent event : events) {
            responses.onNext(ReadResp.newBuilder().setEvent(WireEvents.toReadEvent(event, structuredIds)).build());
        }
        responses.onCompleted();
    }
}
