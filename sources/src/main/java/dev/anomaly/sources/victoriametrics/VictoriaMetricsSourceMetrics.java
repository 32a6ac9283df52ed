package dev.anomaly.sources.victoriametrics;

import dev.anomaly.sources.rejects.MalformedCounters;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The source's metrics, per feature, under the reader's operator group:
 * {@code anomaly_detector.source.feature=<feature>.<name>}; with the Prometheus reporter e.g.
 * {@code flink_taskmanager_job_task_operator_anomaly_detector_source_feature_vm_retries{feature="cpu",...}}.
 * <ul>
 *   <li>{@code vm_requests} (counter): query_range answers used (HTTP 200, parsed)</li>
 *   <li>{@code vm_retries} (counter): failed requests that will be retried (connection refused, timeout, HTTP 5xx,
 *       408, 429, an unparsable answer)</li>
 *   <li>{@code vm_malformed_values} (counter): values skipped: {@code +Inf}, {@code -Inf}, not a number; counted
 *       too, over all features, as every source counts what it rejects:
 *       {@code anomaly_detector.source.reason=non_finite_value.malformed} ({@code anomaly_detector_source_malformed}
 *       after Prometheus' renaming, which the MalformedRateHigh alert and the dashboard read)</li>
 *   <li>{@code vm_ambiguous_values} (counter): values skipped because their series differs from another of the
 *       same answer only in {@code __name__} (the detector would see the two as one series)</li>
 *   <li>{@code vm_fetch_delay_ms} (gauge): now minus the end of the last range fetched; grows while VictoriaMetrics
 *       is down and falls back to about lag + fetch interval after the backfill</li>
 * </ul>
 */
final class VictoriaMetricsSourceMetrics {

    /** One feature's metrics. */
    static final class FeatureMetrics {
        final Counter requests;
        final Counter retries;
        private final Counter malformedValues;
        private final Counter sourceMalformed;
        final Counter ambiguousValues;
        volatile long fetchedUntilMs = Long.MIN_VALUE;

        FeatureMetrics(MetricGroup group, LongSupplier clock, Counter sourceMalformed) {
            requests = group.counter("vm_requests");
            retries = group.counter("vm_retries");
            malformedValues = group.counter("vm_malformed_values");
            this.sourceMalformed = sourceMalformed;
            ambiguousValues = group.counter("vm_ambiguous_values");
            group.gauge("vm_fetch_delay_ms", () -> {
                long until = fetchedUntilMs;
                return until == Long.MIN_VALUE ? 0L : clock.getAsLong() - until;
            });
        }

        /** Counts {@code n} skipped values, in this feature's counter and in the source's malformed counter. */
        void malformed(int n) {
            malformedValues.inc(n);
            sourceMalformed.inc(n);
        }
    }

    /** The reason under which skipped values count in {@code anomaly_detector.source.reason=<reason>.malformed}. */
    static final String NON_FINITE_VALUE = "non_finite_value";

    private final MetricGroup sourceGroup;
    private final MalformedCounters malformed;
    private final LongSupplier clock;
    private final Map<String, FeatureMetrics> byFeature = new HashMap<>();

    VictoriaMetricsSourceMetrics(MetricGroup readerGroup, LongSupplier clock) {
        this.sourceGroup = readerGroup.addGroup("anomaly_detector").addGroup("source");
        this.malformed = new MalformedCounters(readerGroup);
        this.clock = clock;
    }

    /** The metrics of {@code feature}, registered on first use. */
    synchronized FeatureMetrics feature(String feature) {
        Counter nonFinite = malformed.of(NON_FINITE_VALUE);
        return byFeature.computeIfAbsent(feature, f -> new FeatureMetrics(sourceGroup.addGroup("feature", f), clock,
                nonFinite));
    }
}
