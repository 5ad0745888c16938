package dev.leap.agent.model;

/** The configured model cannot be loaded or reached. The message says what to do about it. */
public final class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
