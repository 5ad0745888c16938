package dev.leap.connectors.audit;

import dev.leap.tools.undo.TurnIndex;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns as an auditor names them: by full id, which is read straight from its stream, or by the
 * first characters the owner sees in replies ("change 3f2a91c0"), which are looked up among the
 * turns that changed something — the same ones undo knows.
 */
final class TurnIds {

    static final int SHORTEST_PREFIX = 4;
    private static final Pattern PREFIX = Pattern.compile("[0-9a-fA-F-]{" + SHORTEST_PREFIX + ",35}");

    private final Supplier<TurnIndex> turns;

    TurnIds(Supplier<TurnIndex> turns) {
        this.turns = turns;
    }

    UUID resolve(String idOrPrefix) {
        String wanted = idOrPrefix == null ? "" : idOrPrefix.strip();
        UUID id = parse(wanted);
        if (id != null) {
            return id;
        }
        if (!PREFIX.matcher(wanted).matches()) {
            throw new IllegalArgumentException("a turn is named by its id, or by at least its first " + SHORTEST_PREFIX
                    + " characters, not '" + idOrPrefix + "'");
        }
        return turns.get().turnStartingWith(wanted.toLowerCase(Locale.ROOT)).map(UUID::fromString)
                .orElseThrow(() -> new AuditException.NotFound("turn", wanted,
                        "no single turn that changed anything has an id starting with it; give more of the id, or all of it"));
    }

    /** The id, or null if the text is not a UUID. */
    static UUID parse(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }
}
