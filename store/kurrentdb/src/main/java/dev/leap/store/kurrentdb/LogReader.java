package dev.leap.store.kurrentdb;

import dev.leap.store.RecordedEvent;
import io.kurrent.dbclient.Position;
import io.kurrent.dbclient.ReadAllOptions;
import io.kurrent.dbclient.ResolvedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the whole log from any of Leap's positions. The chain link of an append is a point in
 * {@code $all} that KurrentDB can read from, and it sits right after the append's events: so the
 * chain revision in a position says where to start, and events before the requested position are
 * skipped. Everything in {@code $all} that is not part of Leap's log is skipped too.
 */
final class LogReader {

    private static final int MAX_PAGE = 4_096;

    private final KurrentConnection connection;

    LogReader(KurrentConnection connection) {
        this.connection = connection;
    }

    List<RecordedEvent> forwards(long fromPosition, int maxCount) {
        List<RecordedEvent> found = new ArrayList<>();
        long first = Math.max(fromPosition, 0);
        long chainRevision = Positions.chainRevision(first);
        ReadAllOptions options = ReadAllOptions.get().forwards().fromStart();
        Position skip = null;
        if (chainRevision > 0) {
            // The append holding `first` starts right after the link of the append before it.
            Optional<Position> previousLink = connection.chainLinkPosition(chainRevision - 1);
            if (previousLink.isEmpty()) {
                return found; // the log has not reached that append
            }
            options = ReadAllOptions.get().forwards().fromPosition(previousLink.get());
        }
        int page = pageFor(maxCount);
        while (found.size() < maxCount) {
            List<ResolvedEvent> events = connection.readAll(options.maxCount(page));
            Position last = null;
            for (ResolvedEvent resolved : events) {
                io.kurrent.dbclient.RecordedEvent stored = resolved.getOriginalEvent();
                last = stored.getPosition();
                if (last.equals(skip) || !StoredEvents.isPartOfLog(stored)) {
                    continue;
                }
                RecordedEvent event = StoredEvents.toLeap(stored);
                if (event.position() >= first && found.size() < maxCount) {
                    found.add(event);
                }
            }
            if (events.size() < page || last == null) {
                break;
            }
            // A forward read includes the position it starts at: skip the event read last.
            options = ReadAllOptions.get().forwards().fromPosition(last);
            skip = last;
        }
        return found;
    }

    List<RecordedEvent> backwards(long fromPosition, int maxCount) {
        List<RecordedEvent> found = new ArrayList<>();
        if (fromPosition < 0) {
            return found;
        }
        // A backward read excludes the position it starts at, and the append holding `fromPosition`
        // ends right before its own link. Without that link, the position is past the head.
        ReadAllOptions options = connection.chainLinkPosition(Positions.chainRevision(fromPosition))
                .map(link -> ReadAllOptions.get().backwards().fromPosition(link))
                .orElseGet(() -> ReadAllOptions.get().backwards().fromEnd());
        int page = pageFor(maxCount);
        while (found.size() < maxCount) {
            List<ResolvedEvent> events = connection.readAll(options.maxCount(page));
            Position last = null;
            for (ResolvedEvent resolved : events) {
                io.kurrent.dbclient.RecordedEvent stored = resolved.getOriginalEvent();
                last = stored.getPosition();
                if (!StoredEvents.isPartOfLog(stored)) {
                    continue;
                }
                RecordedEvent event = StoredEvents.toLeap(stored);
                if (event.position() <= fromPosition && found.size() < maxCount) {
                    found.add(event);
                }
            }
            if (events.size() < page || last == null) {
                break;
            }
            options = ReadAllOptions.get().backwards().fromPosition(last);
        }
        return found;
    }

    /** Each append stores about as many bookkeeping events as Leap events, so read ahead a little. */
    private static int pageFor(int maxCount) {
        return (int) Math.min(MAX_PAGE, Math.max(32L, 3L * maxCount));
    }
}
