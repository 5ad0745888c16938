package dev.leap.store.kurrentdb.loopback;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kurrentdb.protocol.v2.streams.errors.StreamAlreadyInAppendSessionErrorDetails;
import io.kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails;

/**
 * The errors KurrentDB answers with, in the shape its clients decode: v2 errors as a
 * {@code google.rpc.Status} with typed details ({@code KurrentDB.Api.Errors.ApiErrors}), v1 errors as
 * plain gRPC statuses ({@code RpcExceptions}).
 */
final class ApiErrors {

    private ApiErrors() {
    }

    static StatusRuntimeException streamRevisionConflict(String stream, long expectedRevision, long actualRevision) {
        return withDetails(Status.Code.FAILED_PRECONDITION,
                "Append failed due to a revision conflict on stream '%s'. Expected revision: %d. Actual revision: %d."
                        .formatted(stream, expectedRevision, actualRevision),
                StreamRevisionConflictErrorDetails.newBuilder()
                        .setStream(stream)
                        .setExpectedRevision(expectedRevision)
                        .setActualRevision(actualRevision)
                        .build());
    }

    static StatusRuntimeException streamAlreadyInAppendSession(String stream) {
        return withDetails(Status.Code.ABORTED,
                "Stream '%s' already has a different group of messages in this session.".formatted(stream),
                StreamAlreadyInAppendSessionErrorDetails.newBuilder().setStream(stream).build());
    }

    static StatusRuntimeException noRequests() {
        return Status.FAILED_PRECONDITION.withDescription("An append session must append to at least one stream.")
                .asRuntimeException();
    }

    static StatusRuntimeException invalidArgument(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    static StatusRuntimeException invalidPosition() {
        return Status.INVALID_ARGUMENT.withDescription("Trying to read from an invalid position.").asRuntimeException();
    }

    static StatusRuntimeException unimplemented(String what) {
        return Status.UNIMPLEMENTED.withDescription("the loopback KurrentDB does not implement " + what)
                .asRuntimeException();
    }

    private static StatusRuntimeException withDetails(Status.Code code, String message, Message details) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code.value())
                .setMessage(message)
                .addDetails(Any.pack(details))
                .build());
    }
}
