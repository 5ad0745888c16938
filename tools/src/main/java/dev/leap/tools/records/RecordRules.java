package dev.leap.tools.records;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a collection name, a field name and a field value may be. Collections are chosen by the
 * agent, so names are normalised ("Shopping List" and "shopping-list" are one collection).
 */
public final class RecordRules {

    public static final int MAX_COLLECTION = 40;
    public static final int MAX_FIELD_NAME = 64;
    public static final int MAX_VALUE = 10_000;
    public static final int MAX_FIELDS = 64;

    private static final Pattern COLLECTION = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}-]*");

    private RecordRules() {
    }

    /** The canonical form of a collection name: trimmed, lower case, runs of spaces or _ as one -. */
    public static String collection(String name) {
        if (name == null || name.isBlank()) {
            throw new RecordException.Invalid("a collection name is required, e.g. contacts, notes or tasks");
        }
        String normal = name.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "-");
        if (normal.length() > MAX_COLLECTION || !COLLECTION.matcher(normal).matches()) {
            throw new RecordException.Invalid("'" + name + "' is not a usable collection name: use up to "
                    + MAX_COLLECTION + " letters, digits and dashes, e.g. contacts");
        }
        return normal;
    }

    public static String fieldName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_FIELD_NAME) {
            throw new RecordException.Invalid("a field name has 1 to " + MAX_FIELD_NAME + " characters, not '" + name + "'");
        }
        return trimmed;
    }

    public static String value(String field, String value) {
        if (value.length() > MAX_VALUE) {
            throw new RecordException.Invalid("the value of field '" + field + "' is longer than " + MAX_VALUE + " characters");
        }
        return value;
    }

    static void fieldCount(Map<String, String> fields) {
        if (fields.size() > MAX_FIELDS) {
            throw new RecordException.Invalid("a record has at most " + MAX_FIELDS + " fields");
        }
    }
}
