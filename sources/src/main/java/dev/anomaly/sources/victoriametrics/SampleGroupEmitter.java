package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/** Emits a {@link SampleGroup} with each sample's own timestamp, then advances the split's progress. */
final class SampleGroupEmitter implements RecordEmitter<SampleGroup, Sample, QuerySplitState> {

    @Override
    public void emitRecord(SampleGroup group, SourceOutput<Sample> output, QuerySplitState state) {
        long after = state.lastEndMs();
        for (Sample s : group.samples()) {
            if (s.timestampMs() > after && s.timestampMs() <= group.upToMs()) {
                output.collect(s, s.timestampMs());
            }
        }
        if (group.upToMs() > after) {
            state.lastEndMs(group.upToMs());
        }
    }
}
