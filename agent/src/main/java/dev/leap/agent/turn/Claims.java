package dev.leap.agent.turn;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kinds of action a model's answer claims to have taken. A small model may say "Done, I
 * deleted Bob" having deleted nothing; the reply must never pass that on. This reads English
 * answers only: a sentence claims an action when it uses one of the action's past-tense verbs, no
 * negation ("could not add", "nothing was deleted" claim nothing), and no other subject ("you
 * added her in May" reports, it does not claim).
 */
final class Claims {

    /** Kinds of change a turn can commit, and the answer can claim. */
    enum Kind {
        ADDED, CHANGED, DELETED, SCHEDULED, UNDONE, EXPORTED, ANY
    }

    private static final Map<Kind, Pattern> VERBS = Map.of(
            Kind.ADDED, words("added|created|saved|stored|noted|recorded|imported|put"),
            Kind.CHANGED, words("updated|changed|modified|edited|renamed|moved|corrected"),
            Kind.DELETED, words("deleted|removed|erased|cleared"),
            Kind.SCHEDULED, words("scheduled|will remind|i'll remind|reminder is set|reminder set"),
            Kind.UNDONE, words("undid|undone|reverted|restored|rolled back"),
            Kind.EXPORTED, words("exported"),
            Kind.ANY, words("done|all set|completed|taken care of"));

    /** "You added her in May" reports what someone else did: not a claim of Leap's. */
    private static final Pattern SOMEONE_ELSE = words("you|you've|you'd|they|they've|he|she|someone");

    private static final Pattern NEGATION = words("not|no|nothing|never|cannot|unable|failed");

    private Claims() {
    }

    static Set<Kind> in(String answer) {
        Set<Kind> claimed = EnumSet.noneOf(Kind.class);
        for (String sentence : answer.toLowerCase(Locale.ROOT).replace('’', '\'').split("[.!?\\n]+")) {
            if (NEGATION.matcher(sentence).find() || sentence.contains("n't")) {
                continue;
            }
            VERBS.forEach((kind, verbs) -> {
                Matcher verb = verbs.matcher(sentence);
                while (verb.find()) {
                    if (!SOMEONE_ELSE.matcher(lastWords(sentence.substring(0, verb.start()))).find()) {
                        claimed.add(kind);
                    }
                }
            });
        }
        return claimed;
    }

    /** Whether every action the answer claims is among the kinds of change the turn committed. */
    static boolean supported(String answer, Set<Kind> committed) {
        Set<Kind> claimed = in(answer);
        if (claimed.remove(Kind.ANY) && committed.isEmpty()) {
            return false;
        }
        return committed.containsAll(claimed);
    }

    /** The three words before a verb: where its subject is. */
    private static String lastWords(String before) {
        String[] words = before.strip().split("\\s+");
        return String.join(" ", java.util.Arrays.copyOfRange(words, Math.max(0, words.length - 3), words.length));
    }

    private static Pattern words(String alternatives) {
        return Pattern.compile("(?<![\\p{L}'])(" + alternatives + ")(?![\\p{L}])");
    }
}
