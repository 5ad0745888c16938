package dev.leap.store.kurrentdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leap.store.StorageException;
import dev.leap.store.StreamName;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The only event of an event id's {@linkplain BookkeepingStreams#claimOf claim stream}: where the event
 * with that id was recorded. It is appended with "no stream expected" in the same atomic write as the
 * event, so an id can be recorded once in the whole log, and a retried append finds its original
 * result here. KurrentDB itself only recognises a repeated id in the same stream, at the expected
 * revision or among recent writes; Leap promises more.
 */
record IdClaim(String stream, long revision, long position) {

    static final String TYPE = "LeapEventIdClaimed";

    IdClaim {
        StreamName.check(stream);
        if (revision < 0 || position < 0) {
            throw new IllegalArgumentException("a claim points at revision and position 0 or more, not "
                    + revision + " and " + position);
        }
    }

    byte[] toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("stream", stream);
        fields.put("revision", revision);
        fields.put("position", position);
        return Json.write(fields);
    }

    static IdClaim fromJson(byte[] data, UUID eventId) {
        return Json.readObject(data).flatMap(IdClaim::from).orElseThrow(() -> new StorageException(
                "the claim of event id " + eventId + " in stream '" + BookkeepingStreams.claimOf(eventId)
                        + "' is not one Leap wrote: the database was changed around Leap", null));
    }

    private static Optional<IdClaim> from(JsonNode fields) {
        Optional<String> stream = Json.text(fields, "stream");
        Optional<Long> revision = Json.integer(fields, "revision");
        Optional<Long> position = Json.integer(fields, "position");
        if (stream.isEmpty() || revision.isEmpty() || position.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new IdClaim(stream.get(), revision.get(), position.get()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
