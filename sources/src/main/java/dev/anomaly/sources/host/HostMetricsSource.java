package dev.anomaly.sources.host;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * An unbounded source that polls this machine's {@code /proc} every interval and emits one {@link Sample} per series:
 * CPU utilisation by mode, memory, load averages, disk and network throughput (see {@link HostFeature}), each with an
 * {@code instance} label naming the host. One split, read by subtask 0. Built with {@link #builder()}.
 */
public final class HostMetricsSource
        implements Source<Sample, HostMetricsSplit, HostMetricsEnumeratorState>, ResultTypeQueryable<Sample> {

    private static final long serialVersionUID = 1L;

    private final long intervalMs;
    private final String procRoot;
    private final String sysRoot;
    private final String instance;
    private final EnumSet<HostFeature> features;

    HostMetricsSource(long intervalMs, Path procRoot, Path sysRoot, String instance, Set<HostFeature> features) {
        this.intervalMs = intervalMs;
        this.procRoot = procRoot.toString();
        this.sysRoot = sysRoot.toString();
        this.instance = instance;
        this.features = EnumSet.copyOf(features);
    }

    /** A builder with the defaults: every feature, 5 s interval, {@code /proc}, {@code /sys}, the host's name. */
    public static HostMetricsSourceBuilder builder() {
        return new HostMetricsSourceBuilder();
    }

    /** Milliseconds between polls. */
    public long intervalMs() {
        return intervalMs;
    }

    /** The series groups polled. */
    public Set<HostFeature> features() {
        return EnumSet.copyOf(features);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<Sample, HostMetricsSplit> createReader(SourceReaderContext readerContext) {
        Path proc = Path.of(procRoot);
        String name = instance != null ? instance : hostname(proc);
        HostMetricsCollector collector = new HostMetricsCollector(proc, Path.of(sysRoot), name, features,
                new ProcProblems(readerContext.metricGroup()));
        return new HostMetricsSourceReader(readerContext, collector, intervalMs);
    }

    /** The machine's name: {@code sys/kernel/hostname} under the proc root, else $HOSTNAME, else the resolver's. */
    static String hostname(Path procRoot) {
        try {
            String name = Files.readString(procRoot.resolve("sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // try the next way
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public SplitEnumerator<HostMetricsSplit, HostMetricsEnumeratorState> createEnumerator(
            SplitEnumeratorContext<HostMetricsSplit> enumContext) {
        return new HostMetricsEnumerator(enumContext, true);
    }

    @Override
    public SplitEnumerator<HostMetricsSplit, HostMetricsEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<HostMetricsSplit> enumContext, HostMetricsEnumeratorState checkpoint) {
        return new HostMetricsEnumerator(enumContext, checkpoint.splitPending());
    }

    @Override
    public SimpleVersionedSerializer<HostMetricsSplit> getSplitSerializer() {
        return HostMetricsSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<HostMetricsEnumeratorState> getEnumeratorCheckpointSerializer() {
        return HostMetricsEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<Sample> getProducedType() {
        return TypeInformation.of(Sample.class);
    }
}
