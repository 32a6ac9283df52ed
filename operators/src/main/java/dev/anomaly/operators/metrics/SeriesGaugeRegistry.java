package dev.anomaly.operators.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;

/**
 * Registers per-series gauges the first time a series is seen in this subtask, up to a cardinality limit: series
 * beyond it are still scored (and reach the sinks) but get no gauges, and each of their samples is counted by the
 * caller as {@code series_over_limit}. A forgotten series ({@code scoring.series-ttl}) gives its gauges and its place
 * under the limit back.
 *
 * <p>Flink's runtime metric groups never drop a child group from their parent, not even a closed one: closing a
 * series' group unregisters its gauges, but the closed group (and its instance's group) stays in its parent's map
 * until a group of the same name replaces it. Under label churn (pods, containers, short-lived mount points) that is
 * a leak of one group per series ever seen. So the registry keeps each feature's series under their own feature
 * group and, once a feature has forgotten at least {@link #COMPACT_AFTER} series and at least as many as it still
 * has, closes that feature group and registers the live series again under a fresh one: the retained groups stay
 * proportional to the live series, at an amortised cost of one re-registration per forgotten series. A scrape that
 * falls inside a compaction may miss that feature's gauges once.
 */
public final class SeriesGaugeRegistry {
    /** Forgotten series a feature accumulates before its group is compacted (and at least its live series). */
    static final int COMPACT_AFTER = 256;

    private final MetricGroup group;
    private final int maxSeries;
    private final int horizon;
    private final Map<String, SeriesGauges> bySeries = new HashMap<>();
    private final Map<String, FeatureGroup> byFeature = new HashMap<>();

    /** The live series of one feature, the group they are registered under, and how many it has forgotten since. */
    private static final class FeatureGroup {
        MetricGroup group;
        final Map<String, SeriesGauges> series = new HashMap<>();
        int forgotten;

        FeatureGroup(MetricGroup group) {
            this.group = group;
        }
    }

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
            FeatureGroup f = byFeature.computeIfAbsent(feature, k -> new FeatureGroup(featureGroup(k)));
            g = new SeriesGauges(feature, instance, seriesId, horizon);
            g.register(f.group);
            bySeries.put(seriesId, g);
            f.series.put(seriesId, g);
        }
        return g;
    }

    /** Unregisters the gauges of {@code seriesId} (if it has any) and frees its place under the limit. */
    public void forget(String seriesId) {
        SeriesGauges g = bySeries.remove(seriesId);
        if (g == null) {
            return;
        }
        g.unregister();
        FeatureGroup f = byFeature.get(g.feature());
        f.series.remove(seriesId);
        f.forgotten++;
        if (f.forgotten >= COMPACT_AFTER && f.forgotten >= f.series.size()) {
            compact(g.feature(), f);
        }
    }

    /** Closes the feature's group (dropping every closed group under it) and registers its live series afresh. */
    private void compact(String feature, FeatureGroup f) {
        if (f.group instanceof AbstractMetricGroup<?> runtimeGroup) {
            runtimeGroup.close();
            f.group = featureGroup(feature);
            for (SeriesGauges live : f.series.values()) {
                live.register(f.group);
            }
        }
        f.forgotten = 0;
    }

    /** {@code anomaly_detector} → {@code feature=<feature>}; a closed group of that name is replaced by a new one. */
    private MetricGroup featureGroup(String feature) {
        return group.addGroup("feature", feature);
    }

    /** Series with gauges in this subtask. */
    public int size() {
        return bySeries.size();
    }
}
