package dev.anomaly.sources.host;

import java.util.Map;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/** Polls the machine in a fetcher thread ({@link HostMetricsSplitReader}) and emits the samples with their timestamps. */
final class HostMetricsSourceReader
        extends SingleThreadMultiplexSourceReaderBase<Sample, Sample, HostMetricsSplit, HostMetricsSplit> {

    HostMetricsSourceReader(SourceReaderContext context, HostMetricsCollector collector, long intervalMs) {
        super(() -> new HostMetricsSplitReader(collector, intervalMs),
                (sample, output, state) -> output.collect(sample, sample.timestampMs()),
                context.getConfiguration(), context);
    }

    @Override
    protected void onSplitFinished(Map<String, HostMetricsSplit> finishedSplitIds) {
    }

    @Override
    protected HostMetricsSplit initializedState(HostMetricsSplit split) {
        return split;
    }

    @Override
    protected HostMetricsSplit toSplitType(String splitId, HostMetricsSplit state) {
        return state;
    }
}
