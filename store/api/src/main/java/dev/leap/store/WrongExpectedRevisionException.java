package dev.leap.store;

/** The stream was not at the revision the writer expected; nothing was appended. */
public final class WrongExpectedRevisionException extends EventLogException {

    private final String stream;
    private final ExpectedRevision expected;
    private final long actualRevision;

    public WrongExpectedRevisionException(String stream, ExpectedRevision expected, long actualRevision) {
        super("stream '%s' was expected at %s but is at %s".formatted(stream, expected,
                actualRevision == RecordedEvent.NO_REVISION ? "no stream" : "revision " + actualRevision));
        this.stream = stream;
        this.expected = expected;
        this.actualRevision = actualRevision;
    }

    public String stream() {
        return stream;
    }

    public ExpectedRevision expected() {
        return expected;
    }

    /** The stream's last revision, or {@link RecordedEvent#NO_REVISION} when it has no events. */
    public long actualRevision() {
        return actualRevision;
    }
}
