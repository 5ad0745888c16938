package dev.leap.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Event ids derived from a name, so that the same fact appended twice (a redelivered message, a
 * retried turn) has the same id and the second append records nothing.
 */
public final class EventIds {

    /** Leap's namespace for name-based ids. Fixed forever: changing it changes every derived id. */
    public static final UUID NAMESPACE = UUID.fromString("6f1c2b0e-5a43-4c8e-9d2e-1e0b7c4a9f31");

    private EventIds() {
    }

    /** The RFC 9562 version 5 (SHA-1, name-based) UUID of {@code name} in Leap's namespace. */
    public static UUID fromName(String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(NAMESPACE.getMostSignificantBits())
                .putLong(NAMESPACE.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
