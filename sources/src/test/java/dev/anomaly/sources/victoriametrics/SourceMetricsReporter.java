package dev.anomaly.sources.victoriametrics;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A MiniCluster (one TaskManager, two slots) whose metrics the test reads back: the sources' counters by job. */
final class SourceMetricsReporter {

    private final InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();

    /** The MiniCluster reporting here, for {@code @RegisterExtension}. */
    MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                .setConfiguration(reporter.addToConfiguration(new Configuration())).build());
    }

    /**
     * The sum over the job's subtasks of the source counter whose name ends in {@code suffix}
     * ({@code anomaly_detector.source.<suffix>}); fails if no such counter is registered.
     */
    long counter(JobID job, String suffix) {
        long sum = 0;
        boolean found = false;
        for (Map.Entry<String, Metric> e : reporter.getMetricsByIdentifiers(job).entrySet()) {
            if (e.getKey().endsWith("anomaly_detector.source." + suffix) && e.getValue() instanceof Counter c) {
                sum += c.getCount();
                found = true;
            }
        }
        assertThat(found).as("metric %s registered", suffix).isTrue();
        return sum;
    }
}
