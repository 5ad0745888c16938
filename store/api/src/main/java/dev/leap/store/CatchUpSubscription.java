package dev.leap.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A subscription that reads the log page by page from its position and, once caught up, waits for
 * the engine to signal an append (or for a short poll interval) and reads on. Reading by position,
 * and remembering the last one delivered, is what makes delivery gap-free and repeat-free whatever
 * the engine: there is no switch-over from history to live events where one could be lost.
 */
final class CatchUpSubscription implements Subscription {

    private static final int PAGE = 1_000;

    private final ReadAll log;
    private final Consumer<RecordedEvent> listener;
    private final Waiter waiter;
    private final Thread thread;
    private final Object progress = new Object();
    private volatile long nextPosition;
    private volatile long lastDelivered = -1;
    private volatile boolean closed;
    private volatile Throwable failure;

    @FunctionalInterface
    interface Waiter {
        void await(Duration timeout) throws InterruptedException;
    }

    private CatchUpSubscription(ReadAll log, long fromPosition, Consumer<RecordedEvent> listener, Waiter waiter) {
        this.log = log;
        this.nextPosition = fromPosition;
        this.listener = listener;
        this.waiter = waiter;
        this.thread = Thread.ofPlatform().daemon().name("leap-subscription").unstarted(this::run);
    }

    static CatchUpSubscription start(ReadAll log, long fromPosition, Consumer<RecordedEvent> listener, Waiter waiter) {
        if (fromPosition < 0) {
            throw new IllegalArgumentException("a position is 0 or more, not " + fromPosition);
        }
        CatchUpSubscription subscription = new CatchUpSubscription(log, fromPosition, listener, waiter);
        subscription.thread.start();
        return subscription;
    }

    private void run() {
        try {
            while (!closed) {
                List<RecordedEvent> page = log.readAll(nextPosition, PAGE);
                for (RecordedEvent event : page) {
                    if (closed) {
                        return;
                    }
                    listener.accept(event);
                    nextPosition = event.position() + 1;
                    synchronized (progress) {
                        lastDelivered = event.position();
                        progress.notifyAll();
                    }
                }
                if (page.size() < PAGE) {
                    waiter.await(SubscribeToAll.POLL);
                }
            }
        } catch (InterruptedException e) {
            // Closed while waiting.
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    @Override
    public long lastDelivered() {
        return lastDelivered;
    }

    @Override
    public boolean awaitDelivered(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (lastDelivered < position && failure == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
            return lastDelivered >= position;
        }
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
