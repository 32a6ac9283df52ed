package dev.anomaly.job.graph;

import dev.anomaly.job.config.JobConfig;
import dev.anomaly.job.config.RuntimeSettings;
import dev.anomaly.job.metrics.HostBoundPrometheusReporterFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/** Turns the job configuration into Flink configuration: job-level settings, and the embedded cluster's. */
public final class FlinkSettings {

    private FlinkSettings() {
    }

    /**
     * Settings that apply wherever the job runs: no generic (Kryo) types, and the parallelism, checkpointing and
     * state backend when the job configuration sets them (otherwise the cluster's own configuration decides).
     */
    public static Configuration jobLevel(JobConfig config) {
        RuntimeSettings r = config.runtime();
        Configuration c = new Configuration();
        c.setString("pipeline.generic-types", "false");
        c.setString("pipeline.name", "anomaly-detection");
        if (r.parallelism() > 0) {
            c.setString("parallelism.default", String.valueOf(r.parallelism()));
        }
        if (r.checkpointInterval() != null && !r.checkpointInterval().isZero()) {
            // 0 = off: Flink has no interval meaning "off" (it refuses anything under 10 ms), so none is set, and
            // clusterDefaults adds none either
            c.setString("execution.checkpointing.interval", r.checkpointInterval().toMillis() + " ms");
        }
        if (r.checkpointDir() != null) {
            c.setString("execution.checkpointing.dir", r.checkpointDir());
        }
        if (r.stateBackend() != null) {
            c.setString("state.backend.type", r.stateBackend() == RuntimeSettings.StateBackend.ROCKSDB ? "rocksdb"
                    : "hashmap");
            c.setString("execution.checkpointing.incremental",
                    String.valueOf(r.stateBackend() == RuntimeSettings.StateBackend.ROCKSDB));
        }
        for (Map.Entry<String, String> e : r.properties().entrySet()) {
            c.setString(e.getKey(), e.getValue());
        }
        return c;
    }

    /**
     * Reliability defaults of a cluster run, for the settings that neither the job configuration nor the Flink
     * configuration the job's {@code main} sees set: checkpoints every {@link RuntimeSettings#DEFAULT_CHECKPOINT_INTERVAL}
     * (the exactly-once Kafka sink commits only on checkpoints), RocksDB with incremental checkpoints, and
     * exponential-delay restarts (1 s doubling to at most 1 min, jitter 10%, back to 1 s after 1 h without a
     * failure, never giving up). They are applied at job level, which takes precedence over the cluster's
     * configuration; so a key the visible Flink configuration already holds is never defaulted. {@code visible} is
     * the client's configuration under {@code flink run} (its conf dir's config.yaml) and the cluster's own in
     * application mode (Kubernetes operator, {@code standalone-job}).
     */
    public static Configuration clusterDefaults(ReadableConfig visible, JobConfig config) {
        RuntimeSettings r = config.runtime();
        Map<String, String> props = r.properties();
        Configuration c = new Configuration();
        if (r.checkpointInterval() == null && unset(visible, props, "execution.checkpointing.interval")) {
            c.setString("execution.checkpointing.interval", RuntimeSettings.DEFAULT_CHECKPOINT_INTERVAL.toMillis() + " ms");
        }
        if (r.stateBackend() == null && unset(visible, props, "state.backend.type")) {
            c.setString("state.backend.type", "rocksdb");
            if (unset(visible, props, "execution.checkpointing.incremental")) {
                c.setString("execution.checkpointing.incremental", "true");
            }
        }
        if (unset(visible, props, "restart-strategy.type")) {
            c.setString("restart-strategy.type", "exponential-delay");
            c.setString("restart-strategy.exponential-delay.initial-backoff", "1 s");
            c.setString("restart-strategy.exponential-delay.max-backoff", "1 min");
            c.setString("restart-strategy.exponential-delay.backoff-multiplier", "2.0");
            c.setString("restart-strategy.exponential-delay.jitter-factor", "0.1");
            c.setString("restart-strategy.exponential-delay.reset-backoff-threshold", "1 h");
            c.setString("restart-strategy.exponential-delay.attempts-before-reset-backoff",
                    String.valueOf(Integer.MAX_VALUE));
        }
        return c;
    }

    private static boolean unset(ReadableConfig visible, Map<String, String> props, String key) {
        return !props.containsKey(key)
                && visible.getOptional(ConfigOptions.key(key).stringType().noDefaultValue()).isEmpty();
    }

    /**
     * The embedded MiniCluster's configuration: the job-level settings with local defaults (checkpoints every
     * 30 s into java.io.tmpdir, hashmap state, exponential-delay restarts), the Web UI and REST API on
     * 127.0.0.1:webUiPort, and the Prometheus reporter on reporterHost:reporterPort (127.0.0.1 by default, through
     * {@link HostBoundPrometheusReporterFactory}: Flink's own reporter has no host option and listens on all
     * interfaces, which is what reporterHost 0.0.0.0 selects).
     */
    public static Configuration embedded(JobConfig config) {
        RuntimeSettings r = config.runtime();
        Configuration c = new Configuration();
        if (r.checkpointInterval() == null || !r.checkpointInterval().isZero()) {
            // 0 = off: jobLevel sets no interval then, so none may be set here either
            c.setString("execution.checkpointing.interval", RuntimeSettings.DEFAULT_CHECKPOINT_INTERVAL.toMillis() + " ms");
        }
        c.setString("execution.checkpointing.dir", Path.of(System.getProperty("java.io.tmpdir"), "anomaly-detection",
                "checkpoints").toUri().toString());
        c.setString("state.backend.type", "hashmap");
        c.setString("restart-strategy.type", "exponential-delay");
        c.setString("rest.address", "127.0.0.1");
        c.setString("rest.bind-address", "127.0.0.1");
        c.setString("rest.port", String.valueOf(r.webUiPort()));
        c.setString("jobmanager.bind-host", "127.0.0.1");
        c.setString("taskmanager.bind-host", "127.0.0.1");
        c.setString("taskmanager.host", "127.0.0.1");
        if (allInterfaces(r.reporterHost())) {
            c.setString("metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        } else {
            c.setString("metrics.reporter.prom.factory.class", HostBoundPrometheusReporterFactory.class.getName());
            c.setString("metrics.reporter.prom.host", r.reporterHost());
        }
        c.setString("metrics.reporter.prom.port", r.reporterPort());
        // Series ids hold quotes and braces: keep label values as they are (the client library escapes them).
        c.setString("metrics.reporter.prom.filterLabelValueCharacters", "false");
        int parallelism = r.parallelism() > 0 ? r.parallelism() : 1;
        c.setString("taskmanager.numberOfTaskSlots", String.valueOf(parallelism));
        c.setString("parallelism.default", String.valueOf(parallelism));
        c.setString("heartbeat.timeout", String.valueOf(Duration.ofMinutes(5).toMillis()));
        c.addAll(jobLevel(config));
        return c;
    }

    private static boolean allInterfaces(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
    }
}
