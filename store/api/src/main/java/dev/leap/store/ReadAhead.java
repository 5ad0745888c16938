package dev.leap.store;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The log read forwards a page at a time for a fold, with the next page read on another thread while
 * the caller folds this one. Reading (the engine's work) and folding (mostly parsing each event's
 * JSON) then share the machine's cores instead of taking turns. A fold that is nearly caught up reads
 * one short page on its own thread and starts no other.
 *
 * <pre>{@code
 * try (ReadAhead pages = new ReadAhead(log, from)) {
 *     for (RecordedEvent event : pages.events()) { ... }
 * }
 * }</pre>
 *
 * <p>A fold that acts between pages (a checkpoint, a flush) takes them one at a time from {@link #next()}.
 */
public final class ReadAhead implements AutoCloseable {

    /** Events per page: large enough that a page's fixed costs vanish, small enough to stay in cache. */
    public static final int PAGE = 4_096;

    private final ReadAll log;
    private List<RecordedEvent> first;
    private ExecutorService reader;
    private CompletableFuture<List<RecordedEvent>> next;
    private boolean ended;

    /** Starts reading at {@code fromPosition}; the first page is read now, on this thread. */
    public ReadAhead(ReadAll log, long fromPosition) {
        this.log = log;
        this.first = log.readAll(fromPosition, PAGE);
    }

    /** The next page in position order; empty once the log has no more. */
    public List<RecordedEvent> next() {
        List<RecordedEvent> page;
        if (first != null) {
            page = first;
            first = null;
        } else if (ended) {
            return List.of();
        } else {
            try {
                page = next.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        if (page.size() < PAGE) {
            ended = true;
        } else {
            long after = page.getLast().position() + 1;
            if (reader == null) {
                reader = Executors.newSingleThreadExecutor(work -> Thread.ofPlatform().daemon().name("leap-read-ahead").unstarted(work));
            }
            next = CompletableFuture.supplyAsync(() -> log.readAll(after, PAGE), reader);
        }
        return page;
    }

    /** The events of the pages still to come, in position order; iterate them once. */
    public Iterable<RecordedEvent> events() {
        return () -> new Iterator<>() {
            private Iterator<RecordedEvent> page = Collections.emptyIterator();
            private boolean ended;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !ended) {
                    List<RecordedEvent> next = ReadAhead.this.next();
                    ended = next.isEmpty();
                    page = next.iterator();
                }
                return page.hasNext();
            }

            @Override
            public RecordedEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the log has no more events");
                }
                return page.next();
            }
        };
    }

    /** Stops reading ahead; a page being read is finished and dropped. */
    @Override
    public void close() {
        if (reader != null) {
            reader.shutdown();
        }
    }
}
