package dev.leap.connectors.telegram;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a reply into messages Telegram accepts: at most 4,096 characters each. Java counts UTF-16
 * units, never fewer than the characters Telegram counts, so a part that fits here fits there.
 * Each cut falls at the last line break, else the last space, in the second half of the allowance,
 * so that no part is a stub; only text without either there is cut mid-word, and never inside a
 * surrogate pair.
 */
final class ReplyParts {

    static final int MAX_LENGTH = 4_096;

    private ReplyParts() {
    }

    static List<String> of(String text) {
        return of(text, MAX_LENGTH);
    }

    static List<String> of(String text, int maxLength) {
        List<String> parts = new ArrayList<>();
        String rest = text.strip();
        while (rest.length() > maxLength) {
            int boundary = boundary(rest, maxLength);
            if (boundary >= 0) {
                add(parts, rest.substring(0, boundary));
                rest = rest.substring(boundary + 1);
            } else {
                int cut = Character.isHighSurrogate(rest.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
                add(parts, rest.substring(0, cut));
                rest = rest.substring(cut);
            }
        }
        add(parts, rest);
        return List.copyOf(parts);
    }

    /** The index of the line break or space to cut at, so that what precedes it fits; -1 if none. */
    private static int boundary(String text, int maxLength) {
        int line = text.lastIndexOf('\n', maxLength);
        if (line > maxLength / 2) {
            return line;
        }
        for (int i = maxLength; i > maxLength / 2; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void add(List<String> parts, String part) {
        if (!part.isBlank()) {
            parts.add(part.stripTrailing());
        }
    }
}
