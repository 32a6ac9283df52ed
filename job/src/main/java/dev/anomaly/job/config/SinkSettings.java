package dev.anomaly.job.config;

import dev.anomaly.operators.sinks.VictoriaMetricsSink;
import java.time.Duration;
import java.util.Map;

/** The {@code sinks} section. Each sink is optional; the log sink is on by default. */
public record SinkSettings(Log log, Kafka kafka, VictoriaMetrics victoriaMetrics) {

    /** Anomalies (or every result) logged as JSON lines. */
    public record Log(boolean enabled, boolean anomaliesOnly) {
    }

    /**
     * Detection events as JSON to a Kafka topic.
     *
     * @param events which results: anomalies only, or all (forecasts included)
     * @param delivery exactly-once (transactions), at-least-once or none
     */
    public record Kafka(boolean enabled, String brokers, String topic, Events events, Delivery delivery,
                        String transactionalIdPrefix, Map<String, String> properties) {

        /** Which results are published. */
        public enum Events {
            ANOMALIES,
            ALL
        }

        /** Delivery guarantee. */
        public enum Delivery {
            EXACTLY_ONCE,
            AT_LEAST_ONCE,
            NONE
        }
    }

    /**
     * Write-back of yhat, bands, score and anomaly series to VictoriaMetrics; {@code onFailure} says what becomes of
     * a batch that cannot be written (dropped and counted, or the job restarted).
     */
    public record VictoriaMetrics(boolean enabled, String url, int batchLines, Duration timeout, int retries,
                                  VictoriaMetricsSink.OnFailure onFailure) {
    }
}
