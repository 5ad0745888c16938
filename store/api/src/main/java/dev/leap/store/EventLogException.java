package dev.leap.store;

/** Base of every error the event log reports. Messages are stable and name what went wrong. */
public class EventLogException extends RuntimeException {

    public EventLogException(String message) {
        super(message);
    }

    public EventLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
