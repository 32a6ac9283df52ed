package dev.anomaly.models.records;

import java.util.Map;
import java.util.Objects;

/**
 * One observation of one metric series, as every source emits it and the detection operator consumes it.
 *
 * @param seriesId the key: the feature name and the canonical label set, e.g. {@code cpu{cpu="0",mode="user"}}
 *     (see {@link SeriesIds}); two features never share a series
 * @param feature the configured feature (FEATURES) the series belongs to; it selects the trained model
 * @param metric the metric name as the source saw it ({@code __name__}, or the feature name for computed series)
 * @param labels the series' labels, sorted by name, without {@code __name__}
 * @param timestampMs sample time, epoch milliseconds (event time)
 * @param value the value; NaN marks a known-missing sample (a gap the source could not fill)
 */
public record Sample(String seriesId, String feature, String metric, Map<String, String> labels, long timestampMs,
                     double value) {

    public Sample {
        Objects.requireNonNull(seriesId, "seriesId");
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(metric, "metric");
        labels = SeriesIds.sortedCopy(labels);
    }

    /** A sample whose series id is derived from the feature and labels. */
    public static Sample of(String feature, String metric, Map<String, String> labels, long timestampMs,
                            double value) {
        return new Sample(SeriesIds.of(feature, labels), feature, metric, labels, timestampMs, value);
    }
}
