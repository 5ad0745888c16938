package dev.leap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "7", "record-k3m9x2", "chat-telegram-42", "turn-0d2adde0-fc1b-52d3-a45f-9edebab3247c",
            "Z.a_b:c@d+e=f-g", "refusals-cli"})
    void a_letter_or_digit_then_letters_digits_and_the_allowed_marks_is_a_stream_name(String name) {
        assertThat(StreamName.check(name)).isSameAs(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-record", ".record", "_record", "$all", "$ce-record", "has space", "tab\there",
            "record/1", "record#1", "zoë", "東京", "record\n", "record*"})
    void anything_else_is_refused_with_the_rule_in_the_message(String name) {
        assertThatThrownBy(() -> StreamName.check(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a stream name is a letter or digit");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 199, 200})
    void a_name_of_up_to_200_characters_is_accepted(int length) {
        assertThat(StreamName.check("r".repeat(length))).hasSize(length);
    }

    @ParameterizedTest
    @ValueSource(ints = {201, 1_000})
    void a_longer_name_is_refused(int length) {
        assertThatThrownBy(() -> StreamName.check("r".repeat(length))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void null_is_refused() {
        assertThatThrownBy(() -> StreamName.check(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'null'");
    }
}
