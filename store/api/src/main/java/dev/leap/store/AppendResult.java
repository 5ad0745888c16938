package dev.leap.store;

/**
 * Where an append put its events. Appending the same event ids again returns the same result.
 *
 * @param stream        the stream appended to
 * @param firstRevision revision of the first event of the append
 * @param lastRevision  revision of the last event; the next expected revision for this writer
 * @param firstPosition log position of the first event
 * @param lastPosition  log position of the last event
 */
public record AppendResult(String stream, long firstRevision, long lastRevision, long firstPosition, long lastPosition) {

    public AppendResult {
        StreamName.check(stream);
        if (firstRevision < 0 || lastRevision < firstRevision) {
            throw new IllegalArgumentException(
                    "revisions must satisfy 0 <= first <= last, not " + firstRevision + ".." + lastRevision);
        }
        if (firstPosition < 0 || lastPosition < firstPosition) {
            throw new IllegalArgumentException(
                    "positions must satisfy 0 <= first <= last, not " + firstPosition + ".." + lastPosition);
        }
    }

    /** The number of events the append recorded. */
    public int count() {
        return Math.toIntExact(lastRevision - firstRevision + 1);
    }
}
