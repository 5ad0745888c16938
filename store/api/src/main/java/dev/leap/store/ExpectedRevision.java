package dev.leap.store;

/**
 * What the writer believes about a stream before appending to it. A mismatch is reported as a
 * {@link WrongExpectedRevisionException}, never resolved by overwriting.
 */
public sealed interface ExpectedRevision {

    /** Append whatever the stream's state. */
    static ExpectedRevision any() {
        return Any.INSTANCE;
    }

    /** Append only if the stream has no events yet: the way to create something exactly once. */
    static ExpectedRevision noStream() {
        return NoStream.INSTANCE;
    }

    /** Append only if the stream already has at least one event. */
    static ExpectedRevision streamExists() {
        return StreamExists.INSTANCE;
    }

    /** Append only if the stream's last event has this 0-based revision. */
    static ExpectedRevision exactly(long revision) {
        return new Exactly(revision);
    }

    /**
     * Whether a stream whose last revision is {@code actual} ({@link RecordedEvent#NO_REVISION} when
     * the stream is empty) satisfies this expectation.
     */
    boolean admits(long actual);

    enum Any implements ExpectedRevision {
        INSTANCE;

        @Override
        public boolean admits(long actual) {
            return true;
        }

        @Override
        public String toString() {
            return "any";
        }
    }

    enum NoStream implements ExpectedRevision {
        INSTANCE;

        @Override
        public boolean admits(long actual) {
            return actual == RecordedEvent.NO_REVISION;
        }

        @Override
        public String toString() {
            return "no stream";
        }
    }

    enum StreamExists implements ExpectedRevision {
        INSTANCE;

        @Override
        public boolean admits(long actual) {
            return actual != RecordedEvent.NO_REVISION;
        }

        @Override
        public String toString() {
            return "stream exists";
        }
    }

    record Exactly(long revision) implements ExpectedRevision {
        public Exactly {
            if (revision < 0) {
                throw new IllegalArgumentException("an expected revision is 0 or more, not " + revision);
            }
        }

        @Override
        public boolean admits(long actual) {
            return actual == revision;
        }

        @Override
        public String toString() {
            return "revision " + revision;
        }
    }
}
