package dev.anomaly.sources.prometheus;

import java.util.Locale;

/** The metric family types of the Prometheus text exposition format ({@code # TYPE name type}). */
public enum MetricType {
    COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED;

    /** The type named by a {@code # TYPE} line, or null when the word is not one of the five. */
    static MetricType fromWord(String word) {
        return switch (word) {
            case "counter" -> COUNTER;
            case "gauge" -> GAUGE;
            case "histogram" -> HISTOGRAM;
            case "summary" -> SUMMARY;
            case "untyped" -> UNTYPED;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
