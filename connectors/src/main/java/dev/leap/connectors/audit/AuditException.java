package dev.leap.connectors.audit;

/** What the auditor asked for cannot be answered or done. Messages are meant to be shown as they are. */
public sealed class AuditException extends RuntimeException permits AuditException.NotFound, AuditException.Refused {

    AuditException(String message) {
        super(message);
    }

    /** The log has no such turn or record. */
    public static final class NotFound extends AuditException {
        private final String kind;
        private final String id;

        public NotFound(String kind, String id, String hint) {
            super("the log has no " + kind + " '" + id + "'" + (hint.isEmpty() ? "" : ": " + hint));
            this.kind = kind;
            this.id = id;
        }

        /** "turn" or "record". */
        public String kind() {
            return kind;
        }

        public String id() {
            return id;
        }
    }

    /** A revert that cannot be done as asked; nothing was reversed. */
    public static final class Refused extends AuditException {
        private final String turnId;

        public Refused(String turnId, String reason) {
            super(reason);
            this.turnId = turnId;
        }

        public String turnId() {
            return turnId;
        }
    }
}
