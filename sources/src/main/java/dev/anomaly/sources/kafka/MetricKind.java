package dev.anomaly.sources.kafka;

import java.util.Locale;

/** How a mapped metric becomes a feature: a gauge as it is, a counter as its per-second rate. */
public enum MetricKind {
    COUNTER, GAUGE;

    /** {@code counter} or {@code gauge} (case-insensitive). */
    public static MetricKind parse(String word) {
        return switch (word.strip().toLowerCase(Locale.ROOT)) {
            case "counter" -> COUNTER;
            case "gauge" -> GAUGE;
            default -> throw new IllegalArgumentException("metric kind must be counter or gauge, got '" + word + "'");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
