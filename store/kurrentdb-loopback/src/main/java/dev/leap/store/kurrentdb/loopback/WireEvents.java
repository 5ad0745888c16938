package dev.leap.store.kurrentdb.loopback;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.kurrent.dbclient.proto.shared.Shared;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Stored events as the v1 read protocol sends them ({@code Streams.Read.ConvertToReadEvent}). */
final class WireEvents {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private WireEvents() {
    }

    static ReadResp.ReadEvent toReadEvent(StoredEvent event, boolean structuredIds) {
        ReadResp.ReadEvent.RecordedEvent recorded = ReadResp.ReadEvent.RecordedEvent.newBuilder()
                .setId(uuid(event.id(), structuredIds))
                .setStreamIdentifier(streamIdentifier(event.stream()))
                .setStreamRevision(event.revision())
                .setPreparePosition(event.position())
                .setCommitPosition(event.position())
                .putMetadata("type", event.type())
                .putMetadata("created", Long.toString(ticksSinceEpoch(event.created())))
                .putMetadata("content-type", event.json() ? "application/json" : "application/octet-stream")
                .setCustomMetadata(ByteString.copyFrom(userMetadata(event)))
                .setData(ByteString.copyFrom(event.data()))
                .build();
        // Events written with IsCommitted prepares (every write since 20.x) have a position in stream reads too.
        return ReadResp.ReadEvent.newBuilder().setEvent(recorded).setCommitPosition(event.position()).build();
    }

    static Shared.StreamIdentifier streamIdentifier(String stream) {
        return Shared.StreamIdentifier.newBuilder().setStreamName(ByteString.copyFromUtf8(stream)).build();
    }

    static UUID uuid(Shared.UUID wire) {
        return wire.hasStructured()
                ? new UUID(wire.getStructured().getMostSignificantBits(), wire.getStructured().getLeastSignificantBits())
                : UUID.fromString(wire.getString());
    }

    /**
     * The metadata a read returns. Events appended with the v2 protocol store properties, and
     * KurrentDB synthesises their metadata as a JSON object of the properties plus the schema's
     * name and format ({@code EventRecord.SynthesizeMetadataFromProperties}).
     */
    static byte[] userMetadata(StoredEvent event) {
        if (!event.propertyMetadata()) {
            return event.metadata();
        }
        try {
            Struct.Builder properties = Struct.parseFrom(event.metadata()).toBuilder();
            properties.putFields("$schema.name", Value.newBuilder().setStringValue(event.type()).build());
            if (event.json()) {
                properties.putFields("$schema.format", Value.newBuilder().setStringValue("Json").build());
            }
            return JSON.print(properties).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the loopback stored properties it cannot read back", e);
        }
    }

    private static Shared.UUID uuid(UUID id, boolean structured) {
        return structured
                ? Shared.UUID.newBuilder().setStructured(Shared.UUID.Structured.newBuilder()
                        .setMostSignificantBits(id.getMostSignificantBits())
                        .setLeastSignificantBits(id.getLeastSignificantBits())).build()
                : Shared.UUID.newBuilder().setString(id.toString()).build();
    }

    /** .NET ticks (100 ns) since the Unix epoch, as KurrentDB sends {@code created}. */
    private static long ticksSinceEpoch(Instant instant) {
        return instant.getEpochSecond() * 10_000_000L + instant.getNano() / 100;
    }
}
