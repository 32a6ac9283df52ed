package dev.anomaly.sources.replay;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * Emits a line's sample with its timestamp, or counts it as malformed, and in both cases advances the split's
 * progress, so the checkpointed line count always equals the lines whose outcome is already downstream.
 */
final class ReplayRecordEmitter implements RecordEmitter<ReplayRecord, Sample, ReplaySplitState> {

    private final MalformedLines malformed;

    ReplayRecordEmitter(MalformedLines malformed) {
        this.malformed = malformed;
    }

    @Override
    public void emitRecord(ReplayRecord record, SourceOutput<Sample> output, ReplaySplitState state) {
        if (record.sample() != null) {
            output.collect(record.sample(), record.sample().timestampMs());
        } else {
            malformed.record(record.reason(), record.detail());
        }
        state.advance(record.linesConsumed(), record.shiftMs());
    }
}
