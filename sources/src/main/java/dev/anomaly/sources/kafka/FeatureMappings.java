package dev.anomaly.sources.kafka;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configured features of a metric source: feature name → metric + label matchers + kind. A sample may belong
 * to several features (e.g. one feature per CPU mode and one for all modes); a sample that belongs to none is
 * unmapped and dropped.
 */
public final class FeatureMappings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<FeatureMapping> mappings;
    private final HashMap<String, List<FeatureMapping>> byMetric = new HashMap<>();

    /** @throws IllegalArgumentException when empty or when a feature name repeats */
    public FeatureMappings(List<FeatureMapping> mappings) {
        if (mappings.isEmpty()) {
            throw new IllegalArgumentException("no feature mappings: at least one feature must map a metric");
        }
        Set<String> names = new HashSet<>();
        for (FeatureMapping m : mappings) {
            if (!names.add(m.feature())) {
                throw new IllegalArgumentException("feature " + m.feature() + " is mapped twice");
            }
            byMetric.computeIfAbsent(m.metric(), k -> new ArrayList<>()).add(m);
        }
        this.mappings = List.copyOf(mappings);
    }

    public static FeatureMappings of(FeatureMapping... mappings) {
        return new FeatureMappings(List.of(mappings));
    }

    /** Parses each {@link FeatureMapping#parse spec}. */
    public static FeatureMappings parse(List<String> specs) {
        List<FeatureMapping> list = new ArrayList<>();
        for (String spec : specs) {
            list.add(FeatureMapping.parse(spec));
        }
        return new FeatureMappings(list);
    }

    /** The features a sample belongs to (empty: unmapped). */
    public List<FeatureMapping> matching(String metric, Map<String, String> labels) {
        List<FeatureMapping> candidates = byMetric.get(metric);
        if (candidates == null) {
            return List.of();
        }
        List<FeatureMapping> out = new ArrayList<>(1);
        for (FeatureMapping m : candidates) {
            if (m.matches(metric, labels)) {
                out.add(m);
            }
        }
        return out;
    }

    /** The names of the features whose metric is a counter. */
    public Set<String> counterFeatures() {
        Set<String> out = new TreeSet<>();
        for (FeatureMapping m : mappings) {
            if (m.kind() == MetricKind.COUNTER) {
                out.add(m.feature());
            }
        }
        return out;
    }

    public List<FeatureMapping> all() {
        return mappings;
    }

    @Override
    public String toString() {
        return mappings.toString();
    }
}
