package dev.leap.store;

import java.time.Duration;
import java.util.Optional;

/** A running subscription to the log. Closing it stops delivery; it never delivers after close returns. */
public interface Subscription extends AutoCloseable {

    /** The position of the last event delivered, or -1 before the first. */
    long lastDelivered();

    /** Waits until every event up to {@code position} has been delivered; false if the time ran out. */
    boolean awaitDelivered(long position, Duration timeout) throws InterruptedException;

    /** Why the subscription stopped by itself, if it did. */
    Optional<Throwable> failure();

    @Override
    void close();
}
