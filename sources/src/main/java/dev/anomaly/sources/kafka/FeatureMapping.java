package dev.anomaly.sources.kafka;

import dev.anomaly.sources.prometheus.ExpositionFormatException;
import dev.anomaly.sources.prometheus.ExpositionSample;
import dev.anomaly.sources.prometheus.PrometheusTextParser;
import dev.anomaly.sources.prometheus.PrometheusValues;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which metric samples make up one feature: the metric name, label matchers (every listed label must have exactly
 * the given value; other labels are free and become part of the series id) and the kind.
 *
 * @param feature the feature name (selects the trained model)
 * @param metric the metric name, e.g. {@code node_cpu_seconds_total}
 * @param labelMatchers label name → required value (equality only)
 * @param kind counter (turned into a per-second rate) or gauge (used as it is)
 */
public record FeatureMapping(String feature, String metric, Map<String, String> labelMatchers, MetricKind kind)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public FeatureMapping {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(kind, "kind");
        if (feature.isBlank()) {
            throw new IllegalArgumentException("feature name is empty");
        }
        if (!PrometheusValues.isMetricName(metric)) {
            throw new IllegalArgumentException("feature " + feature + ": invalid metric name '" + metric + "'");
        }
        TreeMap<String, String> copy = new TreeMap<>();
        if (labelMatchers != null) {
            for (Map.Entry<String, String> e : labelMatchers.entrySet()) {
                if (!PrometheusValues.isLabelName(e.getKey())) {
                    throw new IllegalArgumentException("feature " + feature + ": invalid label name '" + e.getKey()
                            + "'");
                }
                copy.put(e.getKey(), Objects.requireNonNull(e.getValue(), "label value"));
            }
        }
        labelMatchers = Collections.unmodifiableSortedMap(copy);
    }

    /**
     * Parses {@code feature=kind:metric{label="value",...}}, e.g.
     * {@code cpu_user=counter:node_cpu_seconds_total{mode="user"}} (label values in Prometheus quoting).
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static FeatureMapping parse(String spec) {
        int eq = spec.indexOf('=');
        int colon = eq < 0 ? -1 : spec.indexOf(':', eq);
        if (eq <= 0 || colon < 0) {
            throw new IllegalArgumentException("feature mapping '" + spec
                    + "' is not of the form feature=counter|gauge:metric{label=\"value\",...}");
        }
        String feature = spec.substring(0, eq).strip();
        MetricKind kind = MetricKind.parse(spec.substring(eq + 1, colon));
        String selector = spec.substring(colon + 1).strip();
        try {
            // A selector is a sample line without its value: parse it as one with a dummy value.
            ExpositionSample s = new PrometheusTextParser().parse(selector + " 0").get(0);
            return new FeatureMapping(feature, s.name(), s.labels(), kind);
        } catch (ExpositionFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("feature " + feature + ": invalid metric selector '" + selector + "'");
        }
    }

    /** True when a sample of {@code metricName} with {@code labels} belongs to this feature. */
    public boolean matches(String metricName, Map<String, String> labels) {
        if (!metric.equals(metricName)) {
            return false;
        }
        for (Map.Entry<String, String> m : labelMatchers.entrySet()) {
            if (!m.getValue().equals(labels.get(m.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
