package dev.leap.tools;

import java.util.Locale;

/** Who caused an event. */
public enum Actor {
    /** The owner, through one of their allowlisted channel identities. */
    OWNER,
    /** The agent, acting on a message from the owner. */
    AGENT,
    /** Leap itself: reminders, recovery after a crash. */
    SYSTEM,
    /** An auditor: a revert made while reviewing the log. */
    AUDITOR;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Actor fromJson(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
