package dev.leap.store.kurrentdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.store.StorageException;
import dev.leap.store.StreamName;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The event every append adds to the {@linkplain BookkeepingStreams#CHAIN chain stream}, in the same
 * atomic write as Leap's events: the hash and time the next append links to, and which events it
 * covers. Appending it with the chain's expected revision is what serialises all writers.
 *
 * @param hash          the hash of the append's last event: the head of the chain after it
 * @param recordedAt    the time of the append's events; no later append may be earlier
 * @param stream        the stream the append went to
 * @param firstRevision the revision of the append's first event in that stream
 * @param count         how many events the append recorded
 */
record ChainLink(String hash, Instant recordedAt, String stream, long firstRevision, int count) {

    static final String TYPE = "LeapChainLinked";

    ChainLink {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(recordedAt, "recordedAt");
        StreamName.check(stream);
        if (firstRevision < 0 || count < 1) {
            throw new IllegalArgumentException("a chain link covers at least one event from revision 0 or more, not "
                    + count + " from " + firstRevision);
        }
    }

    byte[] toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("hash", hash);
        fields.put("recordedAt", recordedAt.toString());
        fields.put("stream", stream);
        fields.put("firstRevision", firstRevision);
        fields.put("count", count);
        return Json.write(fields);
    }

    /** The link stored as the chain stream's event at {@code revision}. */
    static ChainLink fromJson(byte[] data, long revision) {
        return Json.readObject(data).flatMap(ChainLink::from).orElseThrow(() -> new StorageException(
                "the event at revision " + revision + " of the chain stream '" + BookkeepingStreams.CHAIN
                        + "' is not a chain link: the database was changed around Leap", null));
    }

    private static Optional<ChainLink> from(JsonNode fields) {
        Optional<String> hash = Json.text(fields, "hash");
        Optional<String> recordedAt = Json.text(fields, "recordedAt");
        Optional<String> stream = Json.text(fields, "stream");
        Optional<Long> firstRevision = Json.integer(fields, "firstRevision");
        Optional<Long> count = Json.integer(fields, "count");
        if (hash.isEmpty() || recordedAt.isEmpty() || stream.isEmpty() || firstRevision.isEmpty() || count.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ChainLink(hash.get(), Instant.parse(recordedAt.get()), stream.get(),
                    firstRevision.get(), Math.toIntExact(count.get())));
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            return Optional.empty();
        }
    }
}
