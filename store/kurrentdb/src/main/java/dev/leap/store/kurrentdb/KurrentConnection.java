package dev.leap.store.kurrentdb;

import dev.leap.store.StorageException;
import io.kurrent.dbclient.AppendStreamRequest;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.ReadAllOptions;
import io.kurrent.dbclient.ReadStreamOptions;
import io.kurrent.dbclient.ResolvedEvent;
import io.kurrent.dbclient.ServerVersion;
import io.kurrent.dbclient.StreamNotFoundException;
import io.kurrent.dbclient.WrongExpectedVersionException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The engine's connection to one KurrentDB: the few reads and the one kind of write it needs, with
 * the client's futures awaited and its failures turned into the store's errors. Every call is
 * bounded by the client's deadline, so a wait here never hangs.
 */
final class KurrentConnection implements AutoCloseable {

    private final KurrentDBClient client;
    private final String endpoint;

    KurrentConnection(KurrentDBClient client, String endpoint) {
        this.client = client;
        this.endpoint = endpoint;
    }

    /**
     * Checks that the node is one Leap can use: it answers, and it is 25.1 or later, the first
     * release with atomic multi-stream appends.
     */
    void checkServer() {
        Optional<ServerVersion> version = await(client.getServerVersion(), "cannot open the event log");
        if (version.isEmpty() || !version.get().isGreaterOrEqualThan(25, 1)) {
            throw new StorageException("KurrentDB at " + endpoint + " is "
                    + version.map(v -> "version " + v.getMajor() + "." + v.getMinor() + "." + v.getPatch())
                            .orElse("older than 20.6")
                    + ": Leap needs 25.1 or later, for atomic multi-stream appends", null);
        }
    }

    /** The events a stream read returns; a stream that does not exist reads as no events. */
    CompletableFuture<List<ResolvedEvent>> readStream(String stream, ReadStreamOptions options) {
        return client.readStream(stream, options).handle((result, error) -> {
            if (error == null) {
                return result.getEvents();
            }
            Throwable cause = unwrap(error);
            if (cause instanceof StreamNotFoundException) {
                return List.of();
            }
            throw new CompletionException(cause);
        });
    }

    List<ResolvedEvent> readStreamNow(String stream, ReadStreamOptions options) {
        return await(readStream(stream, options), "cannot read stream '" + stream + "'");
    }

    List<ResolvedEvent> readAll(ReadAllOptions options) {
        return await(client.readAll(options), "cannot read the log").getEvents();
    }

    /** Where the chain stands now. */
    CompletableFuture<ChainHead> chainHead() {
        return readStream(BookkeepingStreams.CHAIN, ReadStreamOptions.get().backwards().fromEnd().maxCount(1))
                .thenApply(last -> last.stream()
                        .map(ResolvedEvent::getOriginalEvent)
                        .map(link -> ChainHead.after(link.getRevision(),
                                ChainLink.fromJson(link.getEventData(), link.getRevision())))
                        .findFirst()
                        .orElse(ChainHead.GENESIS));
    }

    /** The {@code $all} position of the chain link at {@code revision}, if the chain has one there. */
    Optional<Position> chainLinkPosition(long revision) {
        return readStreamNow(BookkeepingStreams.CHAIN, ReadStreamOptions.get().forwards().fromRevision(revision).maxCount(1))
                .stream()
                .map(ResolvedEvent::getOriginalEvent)
                .filter(link -> link.getRevision() == revision)
                .map(io.kurrent.dbclient.RecordedEvent::getPosition)
                .findFirst();
    }

    /** The revision of the stream's last event, or -1 if it has none. */
    CompletableFuture<Long> lastRevision(String stream) {
        return readStream(stream, ReadStreamOptions.get().backwards().fromEnd().maxCount(1))
                .thenApply(last -> last.isEmpty() ? -1L : last.getFirst().getOriginalEvent().getRevision());
    }

    /** Where the event with this id was recorded, if it was. */
    CompletableFuture<Optional<IdClaim>> claimOf(UUID eventId) {
        return readStream(BookkeepingStreams.claimOf(eventId), ReadStreamOptions.get().forwards().fromStart().maxCount(1))
                .thenApply(claim -> claim.stream()
                        .map(event -> IdClaim.fromJson(event.getOriginalEvent().getEventData(), eventId))
                        .findFirst());
    }

    /**
     * Appends to all the streams at once, or to none.
     *
     * @throws WrongExpectedVersionException if a stream was not as expected: nothing was appended
     * @throws StorageException             if the append failed otherwise; it may or may not have landed
     */
    void appendAtomically(List<AppendStreamRequest> requests, String what) {
        try {
            client.multiStreamAppend(requests.iterator()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(what + ": interrupted while waiting for KurrentDB at " + endpoint, e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof WrongExpectedVersionException conflict) {
                throw conflict;
            }
            if (cause instanceof UnsupportedOperationException) {
                throw new StorageException(what + ": KurrentDB at " + endpoint + " cannot append to several streams"
                        + " atomically; Leap needs 25.1 or later", cause);
            }
            throw new StorageException(what + " (KurrentDB at " + endpoint + "): " + describe(cause), cause);
        }
    }

    <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(what + ": interrupted while waiting for KurrentDB at " + endpoint, e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof StorageException storage) {
                throw storage;
            }
            throw new StorageException(what + " (KurrentDB at " + endpoint + "): " + describe(cause), cause);
        }
    }

    @Override
    public void close() {
        try {
            client.shutdown().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // The connection is going away either way; nothing that returned is lost.
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
