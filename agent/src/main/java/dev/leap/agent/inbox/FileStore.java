package dev.leap.agent.inbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Files the owner sent, kept by the SHA-256 of their content in the data directory. A file is on
 * disk before the message that brings it is recorded, so a turn resumed after a crash finds it;
 * reading it back checks the hash, so a file changed on disk is never imported as if it were sent.
 */
public final class FileStore {

    /** The largest file Leap takes in. */
    public static final int MAX_BYTES = 5 * 1024 * 1024;

    private final Path directory;

    public FileStore(Path directory) {
        this.directory = directory;
    }

    /** Keeps the content durably and returns how the log will refer to it. */
    public Attachment keep(String fileName, byte[] content) {
        if (content.length > MAX_BYTES) {
            throw new IllegalArgumentException("the file is larger than " + MAX_BYTES / (1024 * 1024) + " MB");
        }
        String hash = sha256(content);
        Path file = directory.resolve(hash);
        try {
            Files.createDirectories(directory);
            if (!Files.exists(file)) {
                Path partial = Files.createTempFile(directory, hash, ".partial");
                try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    out.write(java.nio.ByteBuffer.wrap(content));
                    out.force(true);
                }
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the file " + fileName, e);
        }
        return new Attachment(fileName, hash, content.length);
    }

    /** The content of a kept file. */
    public byte[] read(Attachment attachment) {
        byte[] content;
        try {
            content = Files.readAllBytes(directory.resolve(attachment.sha256()));
        } catch (IOException e) {
            throw new UncheckedIOException("the file " + attachment.fileName() + " is no longer in " + directory, e);
        }
        if (!sha256(content).equals(attachment.sha256())) {
            throw new IllegalStateException("the file " + attachment.fileName() + " was changed on disk since it was received");
        }
        return content;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
