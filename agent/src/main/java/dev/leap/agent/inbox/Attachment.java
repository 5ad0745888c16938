package dev.leap.agent.inbox;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file that came with a message, as the log refers to it: its name as sent, and the SHA-256 and
 * size of its content, which {@link FileStore} keeps under that hash.
 */
public record Attachment(String fileName, String sha256, long size) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public Attachment {
        if (fileName == null || fileName.isBlank() || fileName.length() > 255) {
            throw new IllegalArgumentException("a file name has 1 to 255 characters");
        }
        Objects.requireNonNull(sha256, "sha256");
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + sha256);
        }
        if (size < 0) {
            throw new IllegalArgumentException("a size is 0 or more");
        }
    }
}
