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
    TEXT_SYNTAX("text_syntax"),
    /** A record value larger than {@link RecordLimits#maxRecordBytes()} (not decoded at all). */
    RECORD_TOO_LARGE("record_too_large"),
    /** A sample with more labels than {@link RecordLimits#maxLabels()}. */
    TOO_MANY_LABELS("too_many_labels"),
    /** A metric name, label name or label value longer than {@link RecordLimits#maxLabelLength()}. */
    LABEL_TOO_LONG("label_too_long"),
    /** A sample timestamp outside the window of {@link RecordLimits#maxAge()} and {@link RecordLimits#maxFuture()}. */
    TIMESTAMP_OUT_OF_RANGE("timestamp_out_of_range"),
    /** A mapped sample whose value is +Inf or -Inf (NaN is accepted as a missing value). */
    NON_FINITE_VALUE("non_finite_value"),
    /** A mapped sample whose finite value exceeds ±{@link RecordLimits#maxAbsValue()}. */
    VALUE_OUT_OF_RANGE("value_out_of_range"),
    /** A record that made the decoder fail in an unforeseen way (a bug: the fuzz tests look for these). */
    UNEXPECTED("unexpected");

    private final String code;

    MalformedReason(String code) {
        this.code = code;
    }

    /** The snake_case word used in dead letters and metrics. */
    public String code() {
        return code;
    }
}
