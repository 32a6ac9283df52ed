package dev.anomaly.operators.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.MetricGroup;

/**
 * Registers per-series gauges the first time a series is seen in this subtask, up to a cardinality limit: series
 * beyond it are still scored (and reach the sinks) but get no gauges, and each of their samples is counted by the
 * caller as {@code series_over_limit}. A forgotten series ({@code scoring.series-ttl}) gives its gauges and its place
 * under the limit back.
 */
public final class SeriesGaugeRegistry {
    private final MetricGroup group;
    private final int maxSeries;
    private final int horizon;
    private final Map<String, SeriesGauges> bySeries = new HashMap<>();

    /** Gauges go under {@code operatorGroup} → {@code anomaly_detector}. */
    public SeriesGaugeRegistry(MetricGroup operatorGroup, int maxSeries, int horizon) {
        this.group = operatorGroup.addGroup(DetectorMetrics.GROUP);
        this.maxSeries = maxSeries;
        this.horizon = horizon;
    }

    /** The gauges of {@code seriesId}, registered now if new and under the limit; null when over the limit. */
    public SeriesGauges gauges(String seriesId, String feature, String instance) {
        SeriesGauges g = bySeries.get(seriesId);
        if (g == null && bySeries.size() < maxSeries) {
            g = new SeriesGauges(group, feature, instance, seriesId, horizon);
            bySeries.put(seriesId, g);
        }
        return g;
    }

    /** Unregisters the gauges of {@code seriesId} (if it has any) and frees its place under the limit. */
    public void forget(String seriesId) {
        SeriesGauges g = bySeries.remove(seriesId);
        if (g != null) {
            g.unregister();
        }
    }

    /** Series with gauges in this subtask. */
    public int size() {
        return bySeries.size();
    }
}
