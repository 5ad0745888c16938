package dev.leap.agent.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.agent.turn.Claims.Kind;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClaimsTest {

    @Test
    void past_tense_action_verbs_are_claims() {
        assertThat(Claims.in("I added Ann to your contacts.")).containsExactly(Kind.ADDED);
        assertThat(Claims.in("Done! Bob is deleted and his note updated.")).containsExactlyInAnyOrder(Kind.ANY,
                Kind.DELETED, Kind.CHANGED);
        assertThat(Claims.in("I'll remind you on Friday.")).containsExactly(Kind.SCHEDULED);
        assertThat(Claims.in("I’ve undone that.")).containsExactly(Kind.UNDONE);
    }

    @Test
    void negated_sentences_and_plain_answers_claim_nothing() {
        assertThat(Claims.in("I couldn't find Bob, so nothing was deleted.")).isEmpty();
        assertThat(Claims.in("I did not add anything. Ann's number is 555-0100.")).isEmpty();
        assertThat(Claims.in("Your sister's birthday is on May 3rd.")).isEmpty();
        assertThat(Claims.in("The boat hasn't been painted yet")).isEmpty();
        assertThat(Claims.in("You added her after meeting at the gym.")).isEmpty();
        assertThat(Claims.in("I've added it for you.")).containsExactly(Kind.ADDED);
    }

    @Test
    void a_claim_is_supported_only_by_a_change_of_its_kind() {
        assertThat(Claims.supported("Saved Ann.", Set.of(Kind.ADDED))).isTrue();
        assertThat(Claims.supported("Saved Ann.", Set.of())).isFalse();
        assertThat(Claims.supported("Done.", Set.of())).isFalse();
        assertThat(Claims.supported("Done.", Set.of(Kind.CHANGED))).isTrue();
        assertThat(Claims.supported("Added Ann and deleted Bob.", Set.of(Kind.ADDED))).isFalse();
        assertThat(Claims.supported("Ann's number is 555-0100.", Set.of())).isTrue();
    }
}
