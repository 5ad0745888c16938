package dev.leap.store.kurrentdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leap.store.AppendResult;
import dev.leap.store.EventData;
import dev.leap.store.ExpectedRevision;
import dev.leap.store.HashChain;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A write that landed but whose reply was lost is recognised by its id claims, not repeated. */
class LostReplyTest {

    @RegisterExtension
    static final KurrentDBUnderTest kurrentdb = new KurrentDBUnderTest();

    @Test
    void an_append_whose_reply_was_lost_returns_its_result_once_it_is_found_in_the_log() {
        assumeTrue(kurrentdb.loopback().isPresent(), "needs the loopback node to drop a reply");
        try (KurrentEventLog log = kurrentdb.open()) {
            String stream = "chat-" + UUID.randomUUID();
            EventData message = EventData.of("MessageReceived", "{\"text\":\"hi\"}");
            kurrentdb.loopback().orElseThrow().loseReplyToNextAppend();

            AppendResult result = log.append(stream, ExpectedRevision.noStream(), message);

            assertThat(result.firstRevision()).isZero();
            assertThat(log.readStream(stream)).singleElement()
                    .satisfies(event -> assertThat(event.id()).isEqualTo(message.id()))
                    .satisfies(event -> assertThat(event.position()).isEqualTo(result.firstPosition()));
            assertThat(log.append(stream, ExpectedRevision.noStream(), message)).isEqualTo(result);
            assertThat(HashChain.verify(log).intact()).isTrue();
        }
    }
}
