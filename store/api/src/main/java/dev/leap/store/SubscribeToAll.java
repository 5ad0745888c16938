package dev.leap.store;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Follows the whole log: every event from a position on, first those already recorded, then each
 * new one as it is appended, in order, without a gap or a repeat.
 */
public interface SubscribeToAll extends ReadAll {

    /** How often a subscription that has caught up looks for events no wake-up announced. */
    Duration POLL = Duration.ofMillis(200);

    /**
     * Delivers every event from {@code fromPosition} on to {@code listener}, on a thread of the
     * subscription's own. A listener that throws ends the subscription; the error is reported by
     * {@link Subscription#failure()}.
     */
    default Subscription subscribeToAll(long fromPosition, Consumer<RecordedEvent> listener) {
        return CatchUpSubscription.start(this, fromPosition, listener, this::awaitAppend);
    }

    /**
     * Waits until an event may have been appended after the caller last read, or the timeout
     * passes. Engines that know when they append wake subscribers at once; the default only waits,
     * so subscribers find new events by polling.
     */
    default void awaitAppend(Duration timeout) throws InterruptedException {
        Thread.sleep(timeout);
    }
}
