package dev.anomaly.sources.kafka;

import java.io.Serializable;
import java.time.Duration;

/**
 * What a Kafka sample record may hold before it is rejected as hostile. Checked by {@link KafkaSampleDeserializer}
 * after decoding, in this order: size (before decoding), then for every sample of the record its labels and its
 * timestamp, then for every sample a feature maps its value. The first violation dead-letters the whole record.
 * <ul>
 *   <li>{@code maxRecordBytes}: a larger record value is {@code record_too_large} (not even decoded);</li>
 *   <li>{@code maxLabels}: a sample with more labels (not counting {@code __name__}) is {@code too_many_labels};</li>
 *   <li>{@code maxLabelLength}: a metric name, label name or label value longer than this many characters is
 *       {@code label_too_long};</li>
 *   <li>{@code maxAge} / {@code maxFuture}: a sample timestamp older than now − maxAge or later than
 *       now + maxFuture (now = the deserializer's wall clock) is {@code timestamp_out_of_range}; zero disables the
 *       window. A far-future timestamp would otherwise push the watermark ahead and make every later sample
 *       late;</li>
 *   <li>{@code maxAbsValue}: a mapped sample whose value is ±Infinity is {@code non_finite_value}, a finite one
 *       beyond ±maxAbsValue is {@code value_out_of_range}. NaN is accepted: it is a missing value (Prometheus'
 *       staleness marker is a NaN), which the detector treats as a gap;</li>
 *   <li>{@code maxDeadLetterPayloadBytes}: a dead letter keeps at most this many bytes of the record (its detail
 *       says how many the record had), and at most {@value #MAX_DETAIL_CHARS} characters of detail, so a dead
 *       letter always fits a Kafka message of the default 1 MiB limit.</li>
 * </ul>
 */
public record RecordLimits(int maxRecordBytes, int maxLabels, int maxLabelLength, Duration maxAge,
                           Duration maxFuture, double maxAbsValue, int maxDeadLetterPayloadBytes)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Longest detail text of a dead letter; longer ones are cut and end in "…". */
    public static final int MAX_DETAIL_CHARS = 1_024;

    /**
     * 1 MiB records (Kafka's default message size), 64 labels, 1,024-character names and values, timestamps from
     * 7 days ago (Kafka's default retention) to 10 minutes ahead, |value| ≤ 1e100, 256 KiB of payload per dead
     * letter.
     */
    public static RecordLimits defaults() {
        return new RecordLimits(1 << 20, 64, 1_024, Duration.ofDays(7), Duration.ofMinutes(10), 1e100, 256 << 10);
    }

    public RecordLimits {
        positive(maxRecordBytes, "maxRecordBytes");
        positive(maxLabels, "maxLabels");
        positive(maxLabelLength, "maxLabelLength");
        positive(maxDeadLetterPayloadBytes, "maxDeadLetterPayloadBytes");
        if (maxAge == null || maxAge.isNegative() || maxFuture == null || maxFuture.isNegative()) {
            throw new IllegalArgumentException("record limits: maxAge and maxFuture must be ≥ 0 (0 = no limit)");
        }
        if (!(maxAbsValue > 0)) {
            throw new IllegalArgumentException("record limits: maxAbsValue must be > 0, got " + maxAbsValue);
        }
    }

    /** The same limits without the timestamp window (for replays of old data, and for tests with fixed times). */
    public RecordLimits withoutTimestampWindow() {
        return new RecordLimits(maxRecordBytes, maxLabels, maxLabelLength, Duration.ZERO, Duration.ZERO, maxAbsValue,
                maxDeadLetterPayloadBytes);
    }

    /** The same limits with another timestamp window (zero: that side unlimited). */
    public RecordLimits withTimestampWindow(Duration age, Duration future) {
        return new RecordLimits(maxRecordBytes, maxLabels, maxLabelLength, age, future, maxAbsValue,
                maxDeadLetterPayloadBytes);
    }

    /** The same limits with another record size limit. */
    public RecordLimits withMaxRecordBytes(int bytes) {
        return new RecordLimits(bytes, maxLabels, maxLabelLength, maxAge, maxFuture, maxAbsValue,
                maxDeadLetterPayloadBytes);
    }

    private static void positive(int v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException("record limits: " + name + " must be > 0, got " + v);
        }
    }
}
