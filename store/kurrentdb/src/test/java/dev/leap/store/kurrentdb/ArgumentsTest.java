package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What KurrentDB refuses that the log's API allows, refused before anything is sent. */
class ArgumentsTest {

    @RegisterExtension
    static final KurrentDBUnderTest kurrentdb = new KurrentDBUnderTest();

    @Test
    void the_nil_uuid_is_refused_as_an_event_id() {
        String stream = "record-" + UUID.randomUUID();
        try (KurrentEventLog log = kurrentdb.open()) {
            assertThatThrownBy(() -> log.append(stream, ExpectedRevision.any(),
                    new EventData(new UUID(0, 0), "RecordCreated", "{}", "{}")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nil UUID");
            assertThat(log.readStream(stream)).isEmpty();
        }
    }
}
