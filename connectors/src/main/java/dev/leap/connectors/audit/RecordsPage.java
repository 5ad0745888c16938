package dev.leap.connectors.audit;

import java.util.List;
import java.util.Map;

/**
 * One page of the records as they stood at a point in the log, by collection then id.
 *
 * @param total how many records there were (in the collection asked for)
 * @param next  the offset of the next page, or null
 */
public record RecordsPage(Point at, int total, List<Record> records, Integer next) {

    /**
     * Where a view of the records stands: just after the event at {@code position}, recorded at
     * {@code recordedAt}; position -1 (and no time) before the first event.
     */
    public record Point(long position, String recordedAt) {
    }

    /** One record as it stood. */
    public record Record(String id, String collection, Map<String, String> fields, long revision,
            String createdAt, String updatedAt) {
    }
}
