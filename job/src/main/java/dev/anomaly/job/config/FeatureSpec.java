package dev.anomaly.job.config;

import java.io.Serializable;
import java.util.Map;

/**
 * One entry of FEATURES: how to get the feature's series from the source.
 *
 * @param name the feature name (selects the trained model, labels every series)
 * @param query PromQL/MetricsQL query (VictoriaMetrics source)
 * @param metric metric name to select (Kafka source)
 * @param match label matchers the metric's samples must have (Kafka source)
 * @param kind counter (turned into a per-second rate) or gauge
 */
public record FeatureSpec(String name, String query, String metric, Map<String, String> match, Kind kind)
        implements Serializable {

    /** How a feature's raw samples are read. */
    public enum Kind {
        GAUGE,
        COUNTER
    }

    public FeatureSpec {
        match = Map.copyOf(match == null ? Map.of() : match);
    }
}
