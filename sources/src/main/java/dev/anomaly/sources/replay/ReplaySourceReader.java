package dev.anomaly.sources.replay;

import java.util.Map;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/** Reads the files assigned to one subtask in a fetcher thread ({@link ReplaySplitReader}) and emits their samples. */
final class ReplaySourceReader
        extends SingleThreadMultiplexSourceReaderBase<ReplayRecord, Sample, ReplayFileSplit, ReplaySplitState> {

    ReplaySourceReader(SourceReaderContext context, double samplesPerSecondPerSplit, boolean shiftToNow) {
        super(() -> new ReplaySplitReader(samplesPerSecondPerSplit, shiftToNow),
                new ReplayRecordEmitter(new MalformedLines(context.metricGroup())),
                context.getConfiguration(), context);
    }

    @Override
    protected void onSplitFinished(Map<String, ReplaySplitState> finishedSplitIds) {
    }

    @Override
    protected ReplaySplitState initializedState(ReplayFileSplit split) {
        return new ReplaySplitState(split);
    }

    @Override
    protected ReplayFileSplit toSplitType(String splitId, ReplaySplitState state) {
        return state.toSplit();
    }
}
