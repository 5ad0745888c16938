package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.StorageException;
import dev.leap.store.kurrentdb.loopback.LoopbackKurrentDB;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ConnectingTest {

    @Test
    void a_malformed_connection_string_is_refused_without_repeating_it() {
        assertThatThrownBy(() -> KurrentEventLog.connect("postgres://admin:secret@localhost:2113"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a KurrentDB connection string")
                .hasMessageNotContaining("secret");
    }

    @Test
    void a_node_older_than_25_1_is_refused_because_it_cannot_append_to_several_streams_at_once() {
        try (LoopbackKurrentDB old = LoopbackKurrentDB.start("24.10.4")) {
            assertThatThrownBy(() -> KurrentEventLog.connect(old.connectionString()))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("version 24.10.4")
                    .hasMessageContaining("Leap needs 25.1 or later");
        }
        try (LoopbackKurrentDB first = LoopbackKurrentDB.start("25.1.0");
                KurrentEventLog log = KurrentEventLog.connect(first.connectionString())) {
            assertThat(log.append("record-a", ExpectedRevision.noStream(), EventData.of("A", "{}")).firstRevision()).isZero();
        }
    }

    @Test
    void a_node_that_does_not_answer_is_a_storage_error() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> KurrentEventLog.connect("kurrentdb://127.0.0.1:" + closedPort
                + "?tls=false&maxDiscoverAttempts=1&discoveryInterval=10&gossipTimeout=200"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort);
    }
}
