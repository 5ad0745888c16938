package dev.leap.store.kurrentdb;

import dev.leap.store.kurrentdb.loopback.LoopbackKurrentDB;
import io.kurrent.dbclient.KurrentDBClient;
import io.kurrent.dbclient.KurrentDBConnectionString;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The KurrentDB a test class runs against: the one {@value #VARIABLE} names (a connection string,
 * e.g. {@code kurrentdb://localhost:2113?tls=false}), or else a loopback node started for the class.
 * Tests never assume the database is empty, so a real one can be shared and reused.
 */
final class KurrentDBUnderTest implements BeforeAllCallback, AfterAllCallback {

    static final String VARIABLE = "LEAP_TEST_KURRENTDB";

    private LoopbackKurrentDB loopback;
    private String connectionString;

    @Override
    public void beforeAll(ExtensionContext context) {
        String configured = System.getenv(VARIABLE);
        if (configured != null && !configured.isBlank()) {
            connectionString = configured.strip();
        } else {
            loopback = LoopbackKurrentDB.start();
            connectionString = loopback.connectionString();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (loopback != null) {
            loopback.close();
            loopback = null;
        }
    }

    String connectionString() {
        return connectionString;
    }

    KurrentEventLog open() {
        return KurrentEventLog.connect(connectionString);
    }

    /** A plain client of the same database, to look at what the engine stored or write around it. */
    KurrentDBClient client() {
        return KurrentDBClient.create(KurrentDBConnectionString.parseOrThrow(connectionString));
    }

    /** The loopback node, if the tests run against one. */
    Optional<LoopbackKurrentDB> loopback() {
        return Optional.ofNullable(loopback);
    }
}
