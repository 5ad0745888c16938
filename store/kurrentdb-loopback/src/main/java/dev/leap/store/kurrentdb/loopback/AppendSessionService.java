package dev.leap.store.kurrentdb.loopback;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kurrentdb.protocol.v2.streams.AppendRecord;
import io.kurrentdb.protocol.v2.streams.AppendRequest;
import io.kurrentdb.protocol.v2.streams.AppendResponse;
import io.kurrentdb.protocol.v2.streams.AppendSessionResponse;
import io.kurrentdb.protocol.v2.streams.SchemaFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The v2 {@code StreamsService.AppendSession} call (KurrentDB 25.1 and later): requests for several
 * streams, written atomically when the client completes the session. A stream may appear once per
 * session (compared ignoring case, as KurrentDB does); the records' properties are stored as the
 * events' metadata.
 */
final class AppendSessionService {

    /** KurrentDB's {@code SchemaNameValidator}. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[\\p{L}\\p{N}_.$:-]+");

    private final Writer writer;
    private final Faults faults;

    AppendSessionService(Writer writer, Faults faults) {
        this.writer = writer;
        this.faults = faults;
    }

    StreamObserver<AppendRequest> appendSession(StreamObserver<AppendSessionResponse> responses) {
        return new StreamObserver<>() {
            private final List<AppendRequest> requests = new ArrayList<>();
            private final List<StreamWrite> writes = new ArrayList<>();
            private final Set<String> streams = new HashSet<>();
            private RuntimeException refused;

            @Override
            public void onNext(AppendRequest request) {
                if (refused != null) {
                    return;
                }
                try {
                    if (!streams.add(request.getStream().toLowerCase(Locale.ROOT))) {
                        throw ApiErrors.streamAlreadyInAppendSession(request.getStream());
                    }
                    if (request.getRecordsCount() == 0) {
                        throw ApiErrors.invalidArgument("Write to stream \"" + request.getStream()
                                + "\" does not have any records");
                    }
                    List<ProposedEvent> events = request.getRecordsList().stream()
                            .map(AppendSessionService::proposed).toList();
                    long expected = request.hasExpectedRevision() ? request.getExpectedRevision() : StreamWrite.ANY;
                    writes.add(new StreamWrite(request.getStream(), expected, events));
                    requests.add(request);
                } catch (IllegalArgumentException e) {
                    refused = ApiErrors.invalidArgument(e.getMessage());
                } catch (RuntimeException e) {
                    refused = e;
                }
            }

            @Override
            public void onError(Throwable cancelled) {
                // The client went away before completing the session: nothing is written.
            }

            @Override
            public void onCompleted() {
                if (refused == null && writes.isEmpty()) {
                    refused = ApiErrors.noRequests();
                }
                if (refused != null) {
                    responses.onError(refused);
                    return;
                }
                switch (writer.write(writes)) {
                    case WriteOutcome.Written written -> respond(written.lastRevisions(), written.position());
                    case WriteOutcome.AlreadyCommitted repeat -> respond(repeat.lastRevisions(), repeat.position());
                    case WriteOutcome.WrongExpectedVersion conflict -> {
                        AppendRequest failed = requests.get(conflict.streamIndex());
                        // KurrentDB reports the expected revision as the request gave it (0 when unset).
                        responses.onError(ApiErrors.streamRevisionConflict(failed.getStream(),
                                failed.getExpectedRevision(), conflict.currentVersion()));
                    }
                }
            }

            private void respond(List<Long> lastRevisions, long position) {
                StatusRuntimeException lost = faults.lostReply();
                if (lost != null) {
                    responses.onError(lost);
                    return;
                }
                AppendSessionResponse.Builder response = AppendSessionResponse.newBuilder().setPosition(position);
                for (int i = 0; i < requests.size(); i++) {
                    response.addOutput(AppendResponse.newBuilder()
                            .setStream(requests.get(i).getStream())
                            .setStreamRevision(lastRevisions.get(i)));
                }
                responses.onNext(response.build());
                responses.onCompleted();
            }
        };
    }

    private static ProposedEvent proposed(AppendRecord record) {
        UUID id = record.hasRecordId() ? parseId(record.getRecordId()) : UUID.randomUUID();
        if (!SCHEMA_NAME.matcher(record.getSchema().getName()).matches()) {
            throw new IllegalArgumentException("Schema name can only contain unicode letters, digits, underscores,"
                    + " dashes, periods, colons, and dollar signs. Attempted Value: " + record.getSchema().getName());
        }
        if (record.getPropertiesMap().keySet().stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("record " + id + " has a property without a name");
        }
        boolean json = record.getSchema().getFormat() == SchemaFormat.SCHEMA_FORMAT_JSON;
        com.google.protobuf.Struct.Builder properties = com.google.protobuf.Struct.newBuilder()
                .putAllFields(record.getPropertiesMap());
        if (!json) {
            properties.putFields("$schema.format", com.google.protobuf.Value.newBuilder()
                    .setStringValue(record.getSchema().getFormat().name()).build());
        }
        return new ProposedEvent(id, record.getSchema().getName(), json, record.getData().toByteArray(),
                properties.build().toByteArray(), true);
    }

    private static UUID parseId(String recordId) {
        UUID id;
        try {
            id = UUID.fromString(recordId);
        } catch (IllegalArgumentException e) {
            id = null;
        }
        if (id == null || id.equals(new UUID(0, 0))) {
            throw new IllegalArgumentException("Record ID must be a valid and non-empty UUID.");
        }
        return id;
    }
}
