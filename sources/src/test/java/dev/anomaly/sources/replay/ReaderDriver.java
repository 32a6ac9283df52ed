package dev.anomaly.sources.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/** Drives a source reader outside a cluster, the way a source task does: poll, wait for availability, snapshot. */
final class ReaderDriver {

    /** What a reader emitted: samples and the timestamps they were emitted with. */
    static final class CollectingOutput implements ReaderOutput<Sample> {
        final List<Sample> samples = new ArrayList<>();
        final List<Long> timestamps = new ArrayList<>();

        @Override
        public void collect(Sample record) {
            throw new AssertionError("samples must be emitted with a timestamp");
        }

        @Override
        public void collect(Sample record, long timestamp) {
            samples.add(record);
            timestamps.add(timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
        }

        @Override
        public void markIdle() {
        }

        @Override
        public void markActive() {
        }

        @Override
        public SourceOutput<Sample> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
        }
    }

    static SourceReaderContext context(MetricListener metrics) {
        SourceReaderMetricGroup group = InternalSourceReaderMetricGroup.mock(metrics.getMetricGroup());
        return new SourceReaderContext() {
            @Override
            public SourceReaderMetricGroup metricGroup() {
                return group;
            }

            @Override
            public Configuration getConfiguration() {
                return new Configuration();
            }

            @Override
            public String getLocalHostName() {
                return "localhost";
            }

            @Override
            public int getIndexOfSubtask() {
                return 0;
            }

            @Override
            public void sendSplitRequest() {
            }

            @Override
            public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(ReaderDriver.class.getClassLoader());
            }
        };
    }

    /**
     * Polls until the end of input or until {@code stop} holds for the output.
     *
     * @return true if the end of input was reached
     */
    static <S extends org.apache.flink.api.connector.source.SourceSplit> boolean poll(
            SourceReader<Sample, S> reader, CollectingOutput out, Predicate<CollectingOutput> stop) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (stop.test(out)) {
                return false;
            }
            InputStatus status = reader.pollNext(out);
            if (status == InputStatus.END_OF_INPUT) {
                return true;
            }
            if (status == InputStatus.NOTHING_AVAILABLE) {
                reader.isAvailable().get(30, TimeUnit.SECONDS);
            }
        }
        throw new AssertionError("reader did not finish within 30 s; emitted " + out.samples.size());
    }

    private ReaderDriver() {
    }
}
