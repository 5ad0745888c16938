package dev.leap.agent.model.jlama;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Byte-level BPE as used by GPT-2 and Llama 3 tokenizers: every UTF-8 byte is first written as one
 * printable character (so a vocabulary of strings can hold arbitrary bytes), then adjacent symbols
 * are merged by rank.
 *
 * <p>Jlama 0.8.4 only maps the ASCII control and space bytes to these characters and passes every
 * other character through unchanged, so "é" reaches the vocabulary as the wrong byte and "€" is
 * silently dropped; decoding likewise returns mojibake. Leap encodes and decodes through this class
 * instead, so the model sees what a Hugging Face tokenizer would give it.
 */
final class ByteLevelBpe {

    /** Merge rank of a pair that is not a merge. */
    static final long NOT_A_MERGE = Long.MAX_VALUE;

    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR;

    static {
        // Bytes that are printable and not whitespace stand for themselves; the others are
        // moved, in order, to the code points from U+0100 upwards.
        int next = 256;
        for (int b = 0; b < 256; b++) {
            CHAR_OF_BYTE[b] = standsForItself(b) ? (char) b : (char) next++;
        }
        BYTE_OF_CHAR = new int[next];
        Arrays.fill(BYTE_OF_CHAR, -1);
        for (int b = 0; b < 256; b++) {
            BYTE_OF_CHAR[CHAR_OF_BYTE[b]] = b;
        }
    }

    private ByteLevelBpe() {}

    private static boolean standsForItself(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** The 256 single-byte symbols, ordered by code point as in GPT-2 and Llama 3 vocabularies. */
    static List<String> byteSymbols() {
        List<String> symbols = new ArrayList<>(256);
        for (int b = 0; b < 256; b++) {
            symbols.add(String.valueOf(CHAR_OF_BYTE[b]));
        }
        symbols.sort(null);
        return symbols;
    }

    /** Text as the byte-level symbols of its UTF-8 encoding ("a b" becomes "aĠb"). */
    static String toSymbols(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] symbols = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(symbols);
    }

    /**
     * Appends the bytes a vocabulary entry stands for. Characters outside the byte alphabet (a
     * non-special added token, say) are written as their own UTF-8.
     */
    static void appendBytes(String symbols, ByteArrayOutputStream out) {
        for (int i = 0; i < symbols.length(); i++) {
            char c = symbols.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b >= 0) {
                out.write(b);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Splits one pre-tokenized piece (already in byte symbols) into vocabulary symbols by applying,
     * again and again, the lowest-ranked merge among adjacent pairs, leftmost first.
     *
     * @param rankOf the rank of the merge "left right" (a space between the halves), or
     *     {@link #NOT_A_MERGE}
     */
    static List<String> merge(String symbols, ToLongFunction<String> rankOf) {
        List<String> parts = new ArrayList<>(symbols.length());
        symbols.codePoints().forEach(cp -> parts.add(Character.toString(cp)));
        while (parts.size() > 1) {
            int best = -1;
            long bestRank = NOT_A_MERGE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                long rank = rankOf.applyAsLong(parts.get(i) + ' ' + parts.get(i + 1));
                if (rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            parts.set(best, parts.get(best) + parts.remove(best + 1));
        }
        return parts;
    }
}
