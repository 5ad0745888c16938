package dev.leap.store;

/** The rule every stream name follows, so that every engine can store every stream. */
public final class StreamName {

    private static final int MAX_LENGTH = 200;
    private static final String MARKS = "._:@+=-";
    /** Indexed by an ASCII character: may it follow the first character of a name? */
    private static final boolean[] FOLLOWING = new boolean[128];

    static {
        for (char c = 0; c < FOLLOWING.length; c++) {
            FOLLOWING[c] = isLetterOrDigit(c) || MARKS.indexOf(c) >= 0;
        }
    }

    private StreamName() {
    }

    /**
     * Returns the name if it is valid: an ASCII letter or digit, then up to 199 ASCII letters,
     * digits or {@code . _ : @ + = -}. Names starting with {@code $} are reserved for engines.
     */
    public static String check(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("a stream name is a letter or digit followed by up to 199 letters, "
                    + "digits or . _ : @ + = -, not '" + name + "'");
        }
        return name;
    }

    // A table rather than a regular expression: every event read from the log is checked, and the
    // equivalent pattern took about a microsecond a name, as long as reading the rest of the event.
    private static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || !isLetterOrDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= FOLLOWING.length || !FOLLOWING[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
