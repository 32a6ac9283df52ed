package dev.anomaly.sources.kafka;

/** Why a Kafka sample record was rejected: the {@code reason} of its dead letter and the name of its counter. */
public enum MalformedReason {
    /** A record without a value (tombstone) or with an empty one. */
    EMPTY_RECORD("empty_record"),
    /** Bytes that are not UTF-8. */
    INVALID_ENCODING("invalid_encoding"),
    /** Not parsable as one JSON document (syntax error, trailing data, duplicate keys). */
    INVALID_JSON("invalid_json"),
    /** A required JSON field is absent or null. */
    MISSING_FIELD("missing_field"),
    /** A JSON field of the wrong type (e.g. labels not an object, value a boolean). */
    WRONG_TYPE("wrong_type"),
    /** A value that is not a number. */
    BAD_VALUE("bad_value"),
    /** A timestamp that is neither RFC 3339 nor non-negative integer epoch milliseconds; or none at all. */
    BAD_TIMESTAMP("bad_timestamp"),
    /** An invalid metric or label name. */
    BAD_NAME("bad_name"),
    /** Text exposition format that does not parse (the whole scrape is rejected, as Prometheus does). */
    TEXT_SYNTAX("text_syntax");

    private final String code;

    MalformedReason(String code) {
        this.code = code;
    }

    /** The snake_case word used in dead letters and metrics. */
    public String code() {
        return code;
    }
}
