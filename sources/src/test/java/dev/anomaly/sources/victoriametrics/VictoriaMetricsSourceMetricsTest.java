package dev.anomaly.sources.victoriametrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/**
 * Skipped values count per feature ({@code vm_malformed_values}) and, over all features, under the name every source
 * counts its rejects with ({@code anomaly_detector.source.reason=<reason>.malformed}), which the MalformedRateHigh
 * alert and the dashboard read: before, the VictoriaMetrics source's rejects never reached them.
 */
class VictoriaMetricsSourceMetricsTest {

    /** Records every counter under its scope ("group.key=value.name"), as the reporters name it. */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final String scope;
        final Map<String, Counter> counters;

        RecordingGroup(String scope, Map<String, Counter> counters) {
            this.scope = scope;
            this.counters = counters;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(scope + name + ".", counters);
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(scope + key + "=" + value + ".", counters);
        }

        @Override
        public Counter counter(String name) {
            return counters.computeIfAbsent(scope + name, k -> new org.apache.flink.metrics.SimpleCounter());
        }
    }

    @Test
    void skippedValuesCountPerFeatureAndAsTheSourcesMalformedRecords() {
        Map<String, Counter> counters = new TreeMap<>();
        VictoriaMetricsSourceMetrics metrics = new VictoriaMetricsSourceMetrics(new RecordingGroup("", counters),
                () -> 0L);
        metrics.feature("cpu").malformed(3);
        metrics.feature("disk").malformed(2);
        metrics.feature("cpu").malformed(0);
        assertThat(counters.get("anomaly_detector.source.feature=cpu.vm_malformed_values").getCount()).isEqualTo(3);
        assertThat(counters.get("anomaly_detector.source.feature=disk.vm_malformed_values").getCount()).isEqualTo(2);
        assertThat(counters.get("anomaly_detector.source.reason=non_finite_value.malformed").getCount())
                .isEqualTo(5);
    }
}
