package dev.leap.store;

import java.util.regex.Pattern;

/** The rule every stream name follows, so that every engine can store every stream. */
public final class StreamName {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,199}");

    private StreamName() {
    }

    /**
     * Returns the name if it is valid: a letter or digit, then up to 199 letters, digits or
     * {@code . _ : @ + = -}. Names starting with {@code $} are reserved for engines.
     */
    public static String check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a stream name is a letter or digit followed by up to 199 letters, "
                    + "digits or . _ : @ + = -, not '" + name + "'");
        }
        return name;
    }
}
