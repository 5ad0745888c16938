package dev.leap.agent.model.jlama;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;

/**
 * The vocabulary of Leap's synthetic models: a Llama 3 style byte-level BPE with the 256 byte
 * symbols, enough merges that common English and the JSON of tool calls become single tokens, and
 * the special tokens of the Llama 3 chat format right after them.
 *
 * <p>It is small (about 2,400 entries) and always the same, so its size is known before a model
 * shape is chosen.
 */
final class SyntheticTokenizer {

    /** Llama 3's pre-tokenizer: contractions, words with one leading non-letter, up to three digits, punctuation runs, newlines, spaces. */
    static final String PRE_TOKENIZER_REGEX =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    static final String BEGIN_OF_TEXT = "<|begin_of_text|>";
    static final String END_OF_TEXT = "<|end_of_text|>";
    static final String START_HEADER = "<|start_header_id|>";
    static final String END_HEADER = "<|end_header_id|>";
    static final String END_OF_TURN = "<|eot_id|>";
    static final String PYTHON_TAG = "<|python_tag|>";

    private static final List<String> SPECIAL_TOKENS =
            List.of(BEGIN_OF_TEXT, END_OF_TEXT, START_HEADER, END_HEADER, END_OF_TURN, PYTHON_TAG);

    /** Pieces (as the pre-tokenizer cuts them) that each become one token. */
    private static final List<String> SINGLE_TOKEN_PIECES = pieces();

    static final SyntheticTokenizer INSTANCE = new SyntheticTokenizer();

    private final List<String> vocabulary = new ArrayList<>();
    private final Set<String> known = new HashSet<>();
    private final List<List<String>> merges = new ArrayList<>();
    private final Map<String, Long> mergeRanks = new HashMap<>();
    private final SequencedMap<String, Integer> specialTokens = new LinkedHashMap<>();

    private SyntheticTokenizer() {
        vocabulary.addAll(ByteLevelBpe.byteSymbols());
        known.addAll(vocabulary);
        for (String piece : SINGLE_TOKEN_PIECES) {
            learn(ByteLevelBpe.toSymbols(piece));
        }
        for (String special : SPECIAL_TOKENS) {
            specialTokens.put(special, vocabulary.size() + specialTokens.size());
        }
    }

    /**
     * Adds merges until the piece is one token. Each new merge ranks after every earlier one, so it
     * cannot change how an earlier piece is merged: BPE only reaches for it once no earlier merge
     * applies, and by then an earlier piece is already whole.
     */
    private void learn(String symbols) {
        while (true) {
            List<String> parts = ByteLevelBpe.merge(symbols, this::rankOf);
            if (parts.size() == 1) {
                return;
            }
            String left = parts.get(0);
            String right = parts.get(1);
            mergeRanks.put(left + ' ' + right, (long) merges.size());
            merges.add(List.of(left, right));
            if (known.add(left + right)) {
                // Two merge paths can reach the same string; the vocabulary holds it once.
                vocabulary.add(left + right);
            }
        }
    }

    long rankOf(String pair) {
        return mergeRanks.getOrDefault(pair, ByteLevelBpe.NOT_A_MERGE);
    }

    /** Regular (non-special) vocabulary, where an entry's index is its id. */
    List<String> vocabulary() {
        return List.copyOf(vocabulary);
    }

    /** Merges in rank order, each a pair of symbols. */
    List<List<String>> merges() {
        return List.copyOf(merges);
    }

    /** Special tokens and their ids, which follow the regular vocabulary. */
    SequencedMap<String, Integer> specialTokens() {
        return new LinkedHashMap<>(specialTokens);
    }

    int id(String specialToken) {
        Integer id = specialTokens.get(specialToken);
        if (id == null) {
            throw new IllegalArgumentException("Not a special token: " + specialToken);
        }
        return id;
    }

    /** Number of ids the tokenizer uses; a model's vocabulary must be at least this large. */
    int size() {
        return vocabulary.size() + specialTokens.size();
    }

    static List<String> singleTokenPieces() {
        return SINGLE_TOKEN_PIECES;
    }

    private static List<String> pieces() {
        String words = """
                the of and to a in is it you that he was for on are as with his they be at one have this
                from or had by not but what some we can out other were all there when up use your how said
                an each she which do their time if will way about many then them write would like so these
                her long make thing see him two has look more day could go come did number sound no most
                people my over know water than call first who may down side been now find any new work part
                take get place made live where after back little only round man year came show every good me
                give our under name very through just form sentence great think say help low line differ turn
                cause much mean before move right boy old too same tell does set three want air well also play
                small end put home read hand port large spell add even land here must big high such follow act
                why ask men change went light kind off need house picture try us again animal point mother world
                near build self earth father today tomorrow week month morning evening meeting note notes remind
                reminder task tasks list contact contacts email message record records collection create update
                delete search find result results tool tools function parameters arguments user assistant system
                ipython please thanks thank hello hi yes okay sure done error value values date time title text
                """;
        List<String> pieces = new ArrayList<>();
        for (String word : words.strip().split("\\s+")) {
            String capitalised = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            pieces.add(" " + word);
            pieces.add(word);
            pieces.add(" " + capitalised);
            pieces.add(capitalised);
        }
        // The header and instruction text of the chat template, and the JSON of a tool call.
        pieces.addAll(List.of(
                "Environment", "Cutting", " Knowledge", " Date", "Today", " December", " Jul", "_record",
                "\n\n", "\n", ".\n\n", ".\n", ":", " ", "  ", ".", ",", "!", "?", "'s", "'t",
                "{\"", "\":", " \"", "\",", " {\"", "\"}", "}}", "\"}}", " {", "}", " [", "]", "\"", "\":\"",
                "\"},", " }", " ]"));
        return List.copyOf(pieces);
    }
}
