package dev.leap.store;

/** The engine could not read or write its storage. An append that throws this recorded nothing. */
public final class StorageException extends EventLogException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
