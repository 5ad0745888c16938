package dev.leap.agent.model.jlama;

import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import com.github.tjake.jlama.safetensors.tokenizer.TokenizerModel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns prompt text into token ids and generated ids back into text.
 *
 * <p>For byte-level BPE vocabularies (Llama 3, Qwen 2) it does the work itself, reading Jlama's
 * parsed vocabulary, merges and pre-tokenizer, because Jlama 0.8.4 mishandles every non-ASCII
 * character there (see {@link ByteLevelBpe}). For other vocabularies (SentencePiece with byte
 * fallback: Llama 2, Mistral) Jlama's own tokenizer is right and is used as is.
 */
final class TokenCodec {

    private final Tokenizer tokenizer;
    private final TokenizerModel vocabulary;
    private final boolean byteLevel;

    TokenCodec(Tokenizer tokenizer) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.vocabulary = tokenizer.getModel();
        this.byteLevel = isByteLevel(vocabulary);
    }

    private static boolean isByteLevel(TokenizerModel model) {
        TokenizerModel.PreTokenizer preTokenizer = model.preTokenizer();
        if (model.byteFallback || preTokenizer == null) {
            return false;
        }
        return "ByteLevel".equalsIgnoreCase(preTokenizer.type)
                || preTokenizer.pretokenizers.stream().anyMatch(p -> "ByteLevel".equalsIgnoreCase(p.type));
    }

    /** The ids of the text, special tokens written in it included; no begin-of-text is added. */
    int[] encode(String text) {
        if (!byteLevel) {
            return toInts(tokenizer.encode(text));
        }
        List<Integer> ids = new ArrayList<>();
        for (String part : splitOnAddedTokens(text)) {
            Long added = vocabulary.addedTokens().get(part);
            if (added != null) {
                ids.add(added.intValue());
            } else {
                encodeOrdinaryText(part, ids);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private void encodeOrdinaryText(String text, List<Integer> ids) {
        if (text.isEmpty()) {
            return;
        }
        String normalized = vocabulary.normalizer() == null ? text : vocabulary.normalizer().normalize(text);
        for (String piece : vocabulary.preTokenizer().pretokenize(normalized)) {
            String symbols = ByteLevelBpe.toSymbols(piece);
            Long whole = vocabulary.ignoreMerges() ? vocabulary.vocabLookup.get(symbols) : null;
            if (whole != null) {
                ids.add(whole.intValue());
                continue;
            }
            for (String part : ByteLevelBpe.merge(symbols, this::rankOf)) {
                Long id = vocabulary.vocabLookup.get(part);
                if (id != null) {
                    ids.add(id.intValue());
                } else {
                    // A merge whose result is missing from the vocabulary: fall back to its bytes.
                    part.chars().forEach(c -> ids.add(vocabulary.vocabLookup.get(String.valueOf((char) c)).intValue()));
                }
            }
        }
    }

    private long rankOf(String pair) {
        Long rank = vocabulary.merges.get(pair);
        return rank == null ? ByteLevelBpe.NOT_A_MERGE : rank;
    }

    private List<String> splitOnAddedTokens(String text) {
        Pattern added = vocabulary.addedTokenPattern();
        if (added == null) {
            return List.of(text);
        }
        List<String> parts = new ArrayList<>();
        Matcher matcher = added.matcher(text);
        int start = 0;
        while (matcher.find()) {
            parts.add(text.substring(start, matcher.start()));
            parts.add(matcher.group());
            start = matcher.end();
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** The text of generated ids, leaving out special tokens and ids the vocabulary does not know. */
    String decode(List<Integer> ids) {
        if (!byteLevel) {
            long[] ordinary = ids.stream().mapToLong(Integer::longValue).filter(id -> !isSpecial(id)).toArray();
            return tokenizer.decode(ordinary);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<Long, String> byId = vocabulary.vocabLookup.inverse();
        for (int id : ids) {
            String symbols = byId.get((long) id);
            if (symbols != null && !isSpecial(id)) {
                ByteLevelBpe.appendBytes(symbols, bytes);
            }
        }
        // Malformed UTF-8 (a reply cut off mid-character) becomes U+FFFD rather than an error.
        return bytes.toString(StandardCharsets.UTF_8);
    }

    boolean isSpecial(long id) {
        return vocabulary.isSpecialToken(id);
    }

    private static int[] toInts(long[] ids) {
        int[] ints = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ints[i] = Math.toIntExact(ids[i]);
        }
        return ints;
    }
}
