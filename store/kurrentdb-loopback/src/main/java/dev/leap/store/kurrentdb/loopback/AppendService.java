package dev.leap.store.kurrentdb.loopback;

import io.grpc.stub.StreamObserver;
import io.kurrent.dbclient.proto.shared.Shared;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.AppendReq;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.AppendResp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The v1 {@code Streams.Append} call: one stream, an expected revision, the proposed events. It is
 * how any other KurrentDB application writes, so tests use it to write around Leap.
 */
final class AppendService {

    private final Writer writer;

    AppendService(Writer writer) {
        this.writer = writer;
    }

    StreamObserver<AppendReq> append(StreamObserver<AppendResp> responses) {
        return new StreamObserver<>() {
            private AppendReq.Options options;
            private final List<ProposedEvent> events = new ArrayList<>();
            private RuntimeException refused;

            @Override
            public void onNext(AppendReq request) {
                if (refused != null) {
                    return;
                }
                try {
                    switch (request.getContentCase()) {
                        case OPTIONS -> options = request.getOptions();
                        case PROPOSED_MESSAGE -> events.add(proposed(request.getProposedMessage()));
                        default -> throw ApiErrors.invalidArgument("an append request carries options or an event");
                    }
                } catch (RuntimeException e) {
                    refused = e;
                }
            }

            @Override
            public void onError(Throwable cancelled) {
                // The client went away: nothing is written.
            }

            @Override
            public void onCompleted() {
                if (refused == null && options == null) {
                    refused = ApiErrors.invalidArgument("an append starts with its options");
                }
                if (refused != null) {
                    responses.onError(refused);
                    return;
                }
                String stream = options.getStreamIdentifier().getStreamName().toString(StandardCharsets.UTF_8);
                long expected = switch (options.getExpectedStreamRevisionCase()) {
                    case REVISION -> options.getRevision();
                    case NO_STREAM -> StreamWrite.NO_STREAM;
                    case STREAM_EXISTS -> StreamWrite.STREAM_EXISTS;
                    default -> StreamWrite.ANY;
                };
                WriteOutcome outcome = writer.write(List.of(new StreamWrite(stream, expected, events)));
                responses.onNext(response(outcome, expected));
                responses.onCompleted();
            }
        };
    }

    private static ProposedEvent proposed(AppendReq.ProposedMessage message) {
        String type = message.getMetadataMap().get("type");
        String contentType = message.getMetadataMap().get("content-type");
        if (type == null || contentType == null) {
            throw ApiErrors.invalidArgument("an event needs the 'type' and 'content-type' metadata");
        }
        return new ProposedEvent(WireEvents.uuid(message.getId()), type, contentType.equals("application/json"),
                message.getData().toByteArray(), message.getCustomMetadata().toByteArray(), false);
    }

    private static AppendResp response(WriteOutcome outcome, long expected) {
        return switch (outcome) {
            case WriteOutcome.Written written -> success(written.lastRevisions().getFirst(), written.position());
            case WriteOutcome.AlreadyCommitted repeat -> success(repeat.lastRevisions().getFirst(), repeat.position());
            case WriteOutcome.WrongExpectedVersion conflict -> {
                AppendResp.WrongExpectedVersion.Builder wrong = AppendResp.WrongExpectedVersion.newBuilder();
                if (conflict.currentVersion() < 0) {
                    wrong.setCurrentNoStream(Shared.Empty.getDefaultInstance());
                } else {
                    wrong.setCurrentRevision(conflict.currentVersion());
                }
                if (expected == StreamWrite.NO_STREAM) {
                    wrong.setExpectedNoStream(Shared.Empty.getDefaultInstance());
                } else if (expected == StreamWrite.STREAM_EXISTS) {
                    wrong.setExpectedStreamExists(Shared.Empty.getDefaultInstance());
                } else if (expected == StreamWrite.ANY) {
                    wrong.setExpectedAny(Shared.Empty.getDefaultInstance());
                } else {
                    wrong.setExpectedRevision(expected);
                }
                yield AppendResp.newBuilder().setWrongExpectedVersion(wrong).build();
            }
        };
    }

    private static AppendResp success(long lastRevision, long position) {
        AppendResp.Success.Builder success = AppendResp.Success.newBuilder()
                .setPosition(AppendResp.Position.newBuilder().setCommitPosition(position).setPreparePosition(position));
        if (lastRevision < 0) {
            success.setNoStream(Shared.Empty.getDefaultInstance());
        } else {
            success.setCurrentRevision(lastRevision);
        }
        return AppendResp.newBuilder().setSuccess(success).build();
    }
}
