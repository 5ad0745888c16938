package dev.leap.store.kurrentdb;

import dev.leap.store.AppendResult;
import dev.leap.store.EventData;
import dev.leap.store.EventIdConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What an append needs to know before it writes, read at one moment: where the chain stands, the
 * target stream's last revision, and whether the events' ids are already claimed. The append that
 * follows expects exactly this state, so if any of it changes before the write lands, the write is
 * refused and a new snapshot is taken.
 */
record Snapshot(ChainHead head, long lastRevision, List<Optional<IdClaim>> claims) {

    Snapshot {
        claims = List.copyOf(claims);
    }

    /** Reads the three in parallel: they are independent, and the write will check them all again. */
    static Snapshot take(KurrentConnection connection, String stream, List<EventData> events) {
        CompletableFuture<ChainHead> head = connection.chainHead();
        CompletableFuture<Long> lastRevision = connection.lastRevision(stream);
        List<CompletableFuture<Optional<IdClaim>>> claims = events.stream().map(e -> connection.claimOf(e.id())).toList();
        String what = "cannot prepare the append to stream '" + stream + "'";
        List<Optional<IdClaim>> claimed = new ArrayList<>(claims.size());
        for (CompletableFuture<Optional<IdClaim>> claim : claims) {
            claimed.add(connection.await(claim, what));
        }
        return new Snapshot(connection.await(head, what), connection.await(lastRevision, what), claimed);
    }

    /**
     * The result of the append that already recorded these events, or empty if none of their ids is
     * in the log. An append that repeats only some of them, or ids of another stream, is not a retry.
     *
     * @throws EventIdConflictException if the ids are in the log but the append is not a plain retry
     */
    Optional<AppendResult> earlierAppend(String stream, List<EventData> events) {
        List<IdClaim> found = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            EventData event = events.get(i);
            Optional<IdClaim> claim = claims.get(i);
            if (claim.isEmpty()) {
                if (!found.isEmpty()) {
                    throw new EventIdConflictException(event.id(), stream,
                            "other events of the same append are already in the log, this one is not");
                }
                continue;
            }
            if (!claim.get().stream().equals(stream)) {
                throw new EventIdConflictException(event.id(), stream,
                        "the id is already used in stream '" + claim.get().stream() + "'");
            }
            if (found.size() < i) {
                throw new EventIdConflictException(event.id(), stream,
                        "it is already in the log, but earlier events of the same append are not");
            }
            found.add(claim.get());
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AppendResult(stream, found.getFirst().revision(), found.getLast().revision(),
                found.getFirst().position(), found.getLast().position()));
    }
}
