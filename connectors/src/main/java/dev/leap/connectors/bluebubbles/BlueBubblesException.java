package dev.leap.connectors.bluebubbles;

/**
 * BlueBubbles did not do what Leap asked. Carries the HTTP status (0 when BlueBubbles could not be
 * reached) and BlueBubbles' own explanation; never the request's URL, which holds the password.
 */
public final class BlueBubblesException extends RuntimeException {

    private final int status;

    public BlueBubblesException(int status, String message) {
        super(message);
        this.status = status;
    }

    public BlueBubblesException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status BlueBubbles answered with, or 0 if it could not be reached. */
    public int status() {
        return status;
    }
}
