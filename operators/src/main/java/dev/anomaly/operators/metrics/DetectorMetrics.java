package dev.anomaly.operators.metrics;

import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The detection operator's counters, under the {@code anomaly_detector} group (exported by the Prometheus reporter
 * as {@code flink_taskmanager_job_task_operator_anomaly_detector_<name>}).
 */
public final class DetectorMetrics {
    /** The metric group every detector metric lives under. */
    public static final String GROUP = "anomaly_detector";

    public final Counter samplesProcessed;
    public final Counter lateDropped;
    public final Counter duplicatesDropped;
    public final Counter gapSteps;
    public final Counter anomalies;
    public final Counter malformed;
    public final Counter seriesOverLimit;
    public final Counter selfTrainings;
    public final Counter trainingFailures;
    /**
     * Milliseconds the operator's processing thread spent on self-training: the early SARIMA fits, and full
     * trainings not finished in the background by the sample at which they take effect (run or waited for there).
     */
    public final Counter selfTrainingWaitMs;
    /**
     * Self-trained models decoded from state. With RocksDB, once per series while the decoded-model cache
     * ({@code scoring.model-cache-size}) holds it; one that climbs with {@link #samplesProcessed} means the cache is
     * smaller than the subtask's self-trained series.
     */
    public final Counter modelDecodes;
    /** Series forgotten by the series TTL (no sample for {@code scoring.series-ttl}). */
    public final Counter seriesExpired;
    /**
     * Self-trained series whose model fitted a constant (or another exact pattern) and that then departed from it, so
     * they warm up and train again from the departure.
     */
    public final Counter exactFitRestarts;

    /**
     * Registers the counters, the active-series gauge and the gauge of self-trainings started and not yet in effect
     * ({@code pendingTrainings}) under {@code operatorGroup}.
     */
    public DetectorMetrics(MetricGroup operatorGroup, SeriesGaugeRegistry registry, IntSupplier pendingTrainings) {
        MetricGroup g = operatorGroup.addGroup(GROUP);
        samplesProcessed = g.counter("samples_processed");
        lateDropped = g.counter("late_dropped");
        duplicatesDropped = g.counter("duplicates_dropped");
        gapSteps = g.counter("gap_steps");
        anomalies = g.counter("anomalies");
        malformed = g.counter("malformed");
        seriesOverLimit = g.counter("series_over_limit");
        selfTrainings = g.counter("self_trainings");
        trainingFailures = g.counter("training_failures");
        selfTrainingWaitMs = g.counter("self_training_wait_ms");
        modelDecodes = g.counter("model_decodes");
        g.gauge("self_trainings_pending", pendingTrainings::getAsInt);
        seriesExpired = g.counter("series_expired");
        exactFitRestarts = g.counter("exact_fit_restarts");
        g.gauge("series_active", registry::size);
    }
}
