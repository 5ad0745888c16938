package dev.leap.store.kurrentdb;

import dev.leap.store.StreamName;
import java.util.UUID;

/**
 * The streams the engine keeps beside Leap's own. Their names start with {@code _}, which no Leap
 * stream name can ({@link StreamName}), so they never collide with the log's streams; and they are
 * not {@code $}-prefixed, because those are KurrentDB's system streams, which a secured cluster lets
 * only administrators write.
 */
final class BookkeepingStreams {

    /** One link per append, in append order: the expected revision every append must meet. */
    static final String CHAIN = "_leap-chain";

    private static final String CLAIM_PREFIX = "_leap-id-";

    private BookkeepingStreams() {
    }

    /** The stream whose only event says where the event with this id was recorded. */
    static String claimOf(UUID eventId) {
        return CLAIM_PREFIX + eventId;
    }

    /**
     * Whether events of this stream belong to Leap's log. Everything else in the database (KurrentDB's
     * {@code $} system streams, these bookkeeping streams) is not part of it.
     */
    static boolean isPartOfLog(String stream) {
        try {
            StreamName.check(stream);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
