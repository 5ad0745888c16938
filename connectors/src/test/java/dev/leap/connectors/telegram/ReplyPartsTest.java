package dev.leap.connectors.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplyPartsTest {

    @Test
    void a_reply_that_fits_is_one_message() {
        assertThat(ReplyParts.of("Saved Ann.\n\nAdded “Ann Lee” to contacts.")).containsExactly(
                "Saved Ann.\n\nAdded “Ann Lee” to contacts.");
    }

    @Test
    void a_long_reply_is_cut_at_the_last_line_break_that_fits() {
        assertThat(ReplyParts.of("first line\nsecond line\nthird", 24)).containsExactly("first line\nsecond line", "third");
    }

    @Test
    void a_long_line_is_cut_at_the_last_space_that_fits() {
        assertThat(ReplyParts.of("one two three four five six", 10)).containsExactly("one two", "three four", "five six");
    }

    @Test
    void a_line_break_early_in_the_allowance_loses_to_a_space_late_in_it_so_that_no_part_is_a_stub() {
        assertThat(ReplyParts.of("ok\nalpha beta gamma delta", 20)).containsExactly("ok\nalpha beta gamma", "delta");
    }

    @Test
    void text_without_spaces_is_cut_at_the_limit_but_never_inside_a_surrogate_pair() {
        assertThat(ReplyParts.of("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
        assertThat(ReplyParts.of("abc😀def", 4)).containsExactly("abc", "😀de", "f");
    }

    @Test
    void the_blank_lines_at_a_cut_make_no_empty_messages() {
        assertThat(ReplyParts.of("paragraph one\n\n\n\nparagraph two", 16)).containsExactly("paragraph one", "paragraph two");
    }

    @Test
    void every_part_of_a_very_long_reply_fits_telegram_s_limit() {
        String reply = "lorem ipsum dolor sit amet ".repeat(1_000);

        assertThat(ReplyParts.of(reply)).hasSize(7)
                .allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(ReplyParts.MAX_LENGTH));
        assertThat(String.join(" ", ReplyParts.of(reply))).isEqualTo(reply.strip());
    }
}
