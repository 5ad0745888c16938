package dev.leap.tools.records;

/**
 * A request about the owner's records that cannot be carried out as asked. Its message is written
 * to be shown to the model (or a person) as is, so that it can correct the request.
 */
public sealed class RecordException extends RuntimeException
        permits RecordException.NotFound, RecordException.Invalid {

    RecordException(String message) {
        super(message);
    }

    /** No current record has this id. */
    public static final class NotFound extends RecordException {
        private final String recordId;

        public NotFound(String recordId) {
            super("there is no record with id '" + recordId + "'; use find_records to look up the right id");
            this.recordId = recordId;
        }

        public String recordId() {
            return recordId;
        }
    }

    /** A collection name, field name or value breaks the rules of records. */
    public static final class Invalid extends RecordException {
        public Invalid(String message) {
            super(message);
        }
    }
}
