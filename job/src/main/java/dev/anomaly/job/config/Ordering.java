package dev.anomaly.job.config;

/** {@code scoring.ordering}: when the detection operator scores a sample. */
public enum Ordering {
    /**
     * When the watermark passes it: samples are sorted by time within {@code source.out-of-orderness}, even when one
     * series comes through several splits (Kafka partitions, parallel readers); a result comes about one fetch
     * interval after its sample.
     */
    WATERMARK,
    /**
     * As soon as it arrives, if newer than its series' last sample: no reorder buffer, no per-sample timer, no wait.
     * For sources that deliver every series in time order (VictoriaMetrics, host, replay, a Kafka topic keyed by
     * series); a sample older than its series' last one is dropped as late.
     */
    ARRIVAL
}
