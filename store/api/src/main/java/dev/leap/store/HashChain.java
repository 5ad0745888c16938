package dev.leap.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The hash chain that makes tampering with the log visible. Each event's hash is
 * {@code SHA-256(previous hash || canonical bytes of the event)}; the first event's previous hash is
 * {@link #GENESIS}. Changing, removing, inserting or reordering any event breaks every later link.
 *
 * <p>Canonical bytes, all integers big-endian, strings UTF-8 preceded by their byte length as a
 * 4-byte integer: stream, revision (8 bytes), id (16: most then least significant bits), type,
 * data, metadata, recordedAt as microseconds since the epoch (8). This layout is part of the log's
 * format: changing it would make every existing log fail verification.
 *
 * <p>The position is deliberately not hashed: an engine such as KurrentDB assigns it only when the
 * event is committed, after the hash must be known. Order is protected all the same, because each
 * hash covers the one before it: an event moved, dropped or inserted breaks the link after it.
 */
public final class HashChain {

    /** The "previous hash" of the very first event. */
    public static final String GENESIS = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private HashChain() {
    }

    /** The hash of an event with these fields that follows an event hashed {@code previousHash}. */
    public static String link(String previousHash, String stream, long revision, UUID id, String type,
            String data, String metadata, Instant recordedAt) {
        byte[] streamBytes = stream.getBytes(StandardCharsets.UTF_8);
        byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
        byte[] dataBytes = data.getBytes(StandardCharsets.UTF_8);
        byte[] metadataBytes = metadata.getBytes(StandardCharsets.UTF_8);
        ByteBuffer fixed = ByteBuffer.allocate(16);
        MessageDigest digest = SHA256.get();
        digest.reset();
        digest.update(HEX.parseHex(previousHash));
        lengthPrefixed(digest, streamBytes);
        digest.update(fixed.putLong(0, revision).array(), 0, 8);
        fixed.putLong(0, id.getMostSignificantBits()).putLong(8, id.getLeastSignificantBits());
        digest.update(fixed.array(), 0, 16);
        lengthPrefixed(digest, typeBytes);
        lengthPrefixed(digest, dataBytes);
        lengthPrefixed(digest, metadataBytes);
        digest.update(fixed.putLong(0, epochMicros(recordedAt)).array(), 0, 8);
        return HEX.formatHex(digest.digest());
    }

    /** The hash {@code event} must carry if it follows an event hashed {@code previousHash}. */
    public static String link(String previousHash, RecordedEvent event) {
        return link(previousHash, event.stream(), event.revision(), event.id(), event.type(),
                event.data(), event.metadata(), event.recordedAt());
    }

    /** Microseconds since the epoch: the precision at which the log records time. */
    public static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /**
     * Walks the whole log from its first event and reports the first event whose hash does not
     * follow from everything before it. {@link LogVerification#of} tells the same with the hashes.
     */
    public static Verification verify(ReadAll log) {
        LogVerification report = LogVerification.of(log);
        return new Verification(report.eventsVerified(), report.firstBadPosition());
    }

    private static void lengthPrefixed(MessageDigest digest, byte[] bytes) {
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    /**
     * The outcome of {@link #verify}.
     *
     * @param eventsVerified   how many events, from the first, link correctly
     * @param firstBadPosition the position of the first event that does not, or {@link #INTACT}
     */
    public record Verification(long eventsVerified, long firstBadPosition) {

        public static final long INTACT = LogVerification.INTACT;

        public boolean intact() {
            return firstBadPosition == INTACT;
        }
    }
}
