package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import java.util.Map;

/**
 * The reader: one fetcher thread ({@link QueryRangeSplitReader}) serves all splits of this subtask; the task thread
 * emits the fetched {@link SampleGroup}s ({@link SampleGroupEmitter}) and checkpoints each split's emitted progress.
 */
final class VictoriaMetricsSourceReader
        extends SingleThreadMultiplexSourceReaderBase<SampleGroup, Sample, QuerySplit, QuerySplitState> {

    VictoriaMetricsSourceReader(VictoriaMetricsSourceConfig config, SourceReaderContext context) {
        this(config, context, new VictoriaMetricsSourceMetrics(context.metricGroup(), System::currentTimeMillis));
    }

    private VictoriaMetricsSourceReader(VictoriaMetricsSourceConfig config, SourceReaderContext context,
                                        VictoriaMetricsSourceMetrics metrics) {
        super(() -> new QueryRangeSplitReader(config, metrics, System::currentTimeMillis), new SampleGroupEmitter(),
                context.getConfiguration(), context);
    }

    @Override
    protected void onSplitFinished(Map<String, QuerySplitState> finishedSplitIds) {
        // a split finishes only in a bounded source (or when its feature was removed from the configuration)
    }

    @Override
    protected QuerySplitState initializedState(QuerySplit split) {
        return new QuerySplitState(split);
    }

    @Override
    protected QuerySplit toSplitType(String splitId, QuerySplitState state) {
        return state.toSplit();
    }
}
