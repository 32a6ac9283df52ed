package dev.anomaly.job.config;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code flink} and {@code metrics} sections: how the job runs.
 *
 * @param parallelism job parallelism (0 = the cluster's default)
 * @param checkpointInterval checkpoint interval, at least 10 ms (zero = off unless the Flink configuration sets one;
 *     null = the cluster's setting, 30 s embedded)
 * @param checkpointDir where checkpoints go (e.g. file:///var/lib/anomaly/checkpoints); null = the cluster's
 *     setting (embedded: a directory under java.io.tmpdir)
 * @param stateBackend hashmap or rocksdb (incremental); null = the cluster's setting (embedded: hashmap)
 * @param webUiPort Web UI / REST port of the embedded run
 * @param reporterPort Prometheus reporter port (or range, e.g. 9250-9260) of the embedded run
 * @param reporterHost address the embedded run's Prometheus reporter listens on (127.0.0.1 by default; 0.0.0.0 = all
 *     interfaces, Flink's own reporter)
 * @param perSeriesMetrics register per-series gauges
 * @param maxSeriesPerSubtask the per-series gauge cardinality limit
 * @param properties further Flink configuration keys, passed through
 */
public record RuntimeSettings(int parallelism, Duration checkpointInterval, String checkpointDir,
                              StateBackend stateBackend, int webUiPort, String reporterPort, String reporterHost,
                              boolean perSeriesMetrics, int maxSeriesPerSubtask, Map<String, String> properties) {

    /** The checkpoint interval of a run whose configurations set none (cluster defaults, embedded runs). */
    public static final java.time.Duration DEFAULT_CHECKPOINT_INTERVAL = java.time.Duration.ofSeconds(30);

    /** State backends. */
    public enum StateBackend {
        HASHMAP,
        ROCKSDB
    }
}
