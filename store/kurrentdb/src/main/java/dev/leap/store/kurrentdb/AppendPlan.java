package dev.leap.store.kurrentdb;

import dev.leap.store.AppendResult;
import dev.leap.store.EventData;
import dev.leap.store.HashChain;
import dev.leap.store.RecordedEvent;
import io.kurrent.dbclient.AppendStreamRequest;
import io.kurrent.dbclient.EventDataBuilder;
import io.kurrent.dbclient.StreamState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One atomic multi-stream append, worked out from a {@link Snapshot}: Leap's events with their
 * revisions, positions, time and hashes; one id claim per event; and the chain link. Every part
 * carries an exact expectation (the stream's revision, no claim yet, the chain's revision), so
 * KurrentDB accepts it only if nothing moved since the snapshot, and then the hashes are right.
 *
 * <p>The order of the parts is the order KurrentDB writes them in {@code $all}: Leap's events
 * first, so that they sit in the log in the order they were hashed, then the claims, then the link.
 */
record AppendPlan(List<AppendStreamRequest> requests, AppendResult result) {

    AppendPlan {
        requests = List.copyOf(requests);
    }

    static AppendPlan of(String stream, List<EventData> events, Snapshot snapshot, Instant now) {
        ChainHead head = snapshot.head();
        long chainRevision = head.nextRevision();
        Instant recordedAt = now.truncatedTo(ChronoUnit.MICROS);
        if (recordedAt.isBefore(head.recordedAt())) {
            recordedAt = head.recordedAt(); // time never runs backwards in the log, even when a clock does
        }
        long firstRevision = snapshot.lastRevision() + 1;
        String hash = head.hash();
        List<io.kurrent.dbclient.EventData> stored = new ArrayList<>(events.size());
        List<AppendStreamRequest> claims = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EventData event = events.get(i);
            long revision = firstRevision + i;
            long position = Positions.of(chainRevision, i);
            hash = HashChain.link(hash, stream, revision, event.id(), event.type(), event.data(), event.metadata(),
                    recordedAt);
            stored.add(EventDataBuilder.json(event.id(), event.type(), event.data().getBytes(StandardCharsets.UTF_8))
                    .metadataAsBytes(new Envelope(position, recordedAt, hash, event.metadata()).toProperties())
                    .build());
            claims.add(new AppendStreamRequest(BookkeepingStreams.claimOf(event.id()),
                    List.of(bookkeeping(IdClaim.TYPE, new IdClaim(stream, revision, position).toJson())).iterator(),
                    StreamState.noStream()));
        }
        ChainLink link = new ChainLink(hash, recordedAt, stream, firstRevision, events.size());

        List<AppendStreamRequest> requests = new ArrayList<>(events.size() + 2);
        requests.add(new AppendStreamRequest(stream, stored.iterator(), expect(snapshot.lastRevision())));
        requests.addAll(claims);
        requests.add(new AppendStreamRequest(BookkeepingStreams.CHAIN,
                List.of(bookkeeping(ChainLink.TYPE, link.toJson())).iterator(), expect(head.revision())));
        AppendResult result = new AppendResult(stream, firstRevision, firstRevision + events.size() - 1,
                Positions.of(chainRevision, 0), Positions.of(chainRevision, events.size() - 1));
        return new AppendPlan(requests, result);
    }

    private static io.kurrent.dbclient.EventData bookkeeping(String type, byte[] data) {
        return EventDataBuilder.json(UUID.randomUUID(), type, data).build();
    }

    private static StreamState expect(long lastRevision) {
        return lastRevision == RecordedEvent.NO_REVISION ? StreamState.noStream() : StreamState.streamRevision(lastRevision);
    }
}
