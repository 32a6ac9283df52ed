package dev.anomaly.sources.kafka;

/** A record that cannot become samples: the reason (counted) and a human-readable detail. */
final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final MalformedReason reason;

    MalformedRecordException(MalformedReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    MalformedReason reason() {
        return reason;
    }
}
