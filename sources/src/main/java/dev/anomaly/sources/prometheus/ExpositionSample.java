package dev.anomaly.sources.prometheus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One sample line of a Prometheus text exposition.
 *
 * @param name the sample's metric name as written (for histograms and summaries including the {@code _bucket},
 *     {@code _sum} or {@code _count} suffix)
 * @param labels the labels in the order written
 * @param value the value; NaN and ±Infinity are legal
 * @param timestampMs the sample's own timestamp (epoch milliseconds) when the line carries one
 * @param type the type declared by the family's {@code # TYPE} line, {@link MetricType#UNTYPED} without one
 */
public record ExpositionSample(String name, Map<String, String> labels, double value, OptionalLong timestampMs,
                               MetricType type) {

    public ExpositionSample {
        Objects.requireNonNull(name, "name");
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        Objects.requireNonNull(timestampMs, "timestampMs");
        Objects.requireNonNull(type, "type");
    }
}
