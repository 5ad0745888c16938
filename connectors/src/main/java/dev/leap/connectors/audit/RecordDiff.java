package dev.leap.connectors.audit;

import java.util.List;
import java.util.Map;

/**
 * What changed in the records between two points in the log, by record id.
 *
 * @param total how many records differ
 * @param next  the offset of the next page, or null
 */
public record RecordDiff(RecordsPage.Point from, RecordsPage.Point to, int total, List<Difference> differences,
        Integer next) {

    /**
     * One record that differs.
     *
     * @param kind    "added", "removed" or "changed"
     * @param fields  all its fields: as they were, for a removed record; as they became, otherwise
     * @param changes field by field, for a changed record
     */
    public record Difference(String recordId, String collection, String kind, String label,
            Map<String, String> fields, List<FieldChange> changes) {
    }

    /** One field: {@code before} is null for a field that appeared, {@code after} for one that went. */
    public record FieldChange(String field, String before, String after) {
    }
}
