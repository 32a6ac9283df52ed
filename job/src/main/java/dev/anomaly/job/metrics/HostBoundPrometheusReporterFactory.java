package dev.anomaly.job.metrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.NetUtils;

/**
 * Creates a {@link HostBoundPrometheusReporter} from {@code metrics.reporter.<name>.host} (default 127.0.0.1) and
 * {@code metrics.reporter.<name>.port} (a port or a range such as 9250-9260, default 9249). Registered in
 * {@code META-INF/services}, so Flink finds it by {@code metrics.reporter.<name>.factory.class} when it is on the
 * classpath: the embedded run ({@code bin/anomaly run}). A Flink cluster loads reporters from its own lib/ and
 * plugins/ directories, not from the job jar.
 */
public final class HostBoundPrometheusReporterFactory implements MetricReporterFactory {
    static final String HOST = "host";
    static final String PORT = "port";

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        String host = properties.getProperty(HOST, "127.0.0.1").trim();
        String ports = properties.getProperty(PORT, "9249").trim();
        return new HostBoundPrometheusReporter(host, NetUtils.getPortRangeFromString(ports));
    }
}
