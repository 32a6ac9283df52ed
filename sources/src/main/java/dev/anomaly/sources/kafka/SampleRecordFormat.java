package dev.anomaly.sources.kafka;

import java.util.Locale;

/** The value format of the Kafka records of a sample topic. */
public enum SampleRecordFormat {
    /**
     * One JSON sample per record, as prometheus-kafka-adapter writes it:
     * {@code {"timestamp":"2024-01-01T00:00:00Z","value":"1.5","name":"node_load1","labels":{"instance":"h:9100"}}};
     * timestamp RFC 3339 or epoch milliseconds (string or number), value a string (also {@code NaN}, {@code +Inf})
     * or a number, {@code name} optional when {@code labels.__name__} is there.
     */
    JSON,
    /**
     * One whole scrape per record in the Prometheus text exposition format; a sample without its own millisecond
     * timestamp takes the Kafka record's timestamp (the scrape time).
     */
    PROMETHEUS_TEXT;

    /** {@code json} or {@code prometheus-text} (also {@code text}). */
    public static SampleRecordFormat parse(String word) {
        return switch (word.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            case "prometheus-text", "prometheus_text", "text" -> PROMETHEUS_TEXT;
            default -> throw new IllegalArgumentException("record format must be json or prometheus-text, got '"
                    + word + "'");
        };
    }
}
