package dev.leap.connectors.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The two API tokens: the owner's, which may send messages, and the auditor's, which may only read
 * the log. Either comes from configuration or is generated once into a file in the data directory
 * that only its user can read, where the terminal chat finds it.
 */
public final class Tokens {

    public static final String OWNER_FILE = "owner-token";
    public static final String AUDITOR_FILE = "auditor-token";

    private final String owner;
    private final String auditor;
    private final boolean ownerConfigured;

    public Tokens(String owner, String auditor) {
        this(owner, auditor, true);
    }

    private Tokens(String owner, String auditor, boolean ownerConfigured) {
        if (owner.equals(auditor)) {
            throw new IllegalArgumentException("the owner and auditor tokens must differ");
        }
        this.owner = owner;
        this.auditor = auditor;
        this.ownerConfigured = ownerConfigured;
    }

    public static Tokens load(Path dataDir, Optional<String> owner, Optional<String> auditor) {
        Optional<String> configured = owner.filter(t -> !t.isBlank());
        return new Tokens(configured.orElseGet(() -> fromFile(dataDir.resolve(OWNER_FILE))),
                auditor.filter(t -> !t.isBlank()).orElseGet(() -> fromFile(dataDir.resolve(AUDITOR_FILE))),
                configured.isPresent());
    }

    /** Where the owner finds their token: the configuration, or the file. */
    public String ownerSource(Path dataDir) {
        return ownerConfigured ? "the one configured in LEAP_HTTP_OWNER_TOKEN" : "in " + dataDir.resolve(OWNER_FILE);
    }

    public boolean isOwner(String presented) {
        return matches(owner, presented);
    }

    public boolean isAuditor(String presented) {
        return matches(auditor, presented);
    }

    /** Compares in constant time, so the response time does not leak how much of a guess was right. */
    private static boolean matches(String expected, String presented) {
        return presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The secret kept in {@code file}, generated there first (random, readable only by its user) if
     * the file does not exist. The BlueBubbles webhook secret is kept the same way.
     */
    public static String fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, token + "\n");
                } catch (FileAlreadyExistsException raced) {
                    // Another process created it first; use theirs.
                }
            }
            String token = Files.readString(file).strip();
            if (token.length() < 16) {
                throw new IllegalStateException("the token in " + file + " is too short; delete the file to get a new one");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the token file " + file, e);
        }
    }
}
