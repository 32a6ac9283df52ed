package dev.anomaly.sources.replay;

import java.util.List;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source that replays NAB-style CSV files ({@code timestamp,value}) as {@link Sample}s, one split per file.
 * Each split's state is the number of lines already consumed, so a restore continues with the next line: no sample
 * lost, none repeated. Malformed lines are skipped, logged and counted; empty values become NaN samples (known gaps).
 * Samples carry their timestamps; watermarks are the job's choice. Built with {@link #builder()}.
 */
public final class ReplaySource
        implements Source<Sample, ReplayFileSplit, ReplayEnumeratorState>, ResultTypeQueryable<Sample> {

    private static final long serialVersionUID = 1L;

    private final List<ReplayFileSplit> splits;
    private final double samplesPerSecondPerSplit;
    private final boolean shiftToNow;

    ReplaySource(List<ReplayFileSplit> splits, double samplesPerSecondPerSplit, boolean shiftToNow) {
        this.splits = List.copyOf(splits);
        this.samplesPerSecondPerSplit = samplesPerSecondPerSplit;
        this.shiftToNow = shiftToNow;
    }

    /** A builder for a replay of one or more files. */
    public static ReplaySourceBuilder builder() {
        return new ReplaySourceBuilder();
    }

    /** The files to replay, one unread split each, in the order they were added. */
    public List<ReplayFileSplit> splits() {
        return splits;
    }

    /** Lines per second per file; 0 replays as fast as possible. */
    public double samplesPerSecondPerSplit() {
        return samplesPerSecondPerSplit;
    }

    /** True if timestamps are shifted so that each file's last one lands at the time it is first opened. */
    public boolean shiftToNow() {
        return shiftToNow;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<Sample, ReplayFileSplit> createReader(SourceReaderContext readerContext) {
        return new ReplaySourceReader(readerContext, samplesPerSecondPerSplit, shiftToNow);
    }

    @Override
    public SplitEnumerator<ReplayFileSplit, ReplayEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ReplayFileSplit> enumContext) {
        return new ReplayEnumerator(enumContext, splits);
    }

    @Override
    public SplitEnumerator<ReplayFileSplit, ReplayEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ReplayFileSplit> enumContext, ReplayEnumeratorState checkpoint) {
        return new ReplayEnumerator(enumContext, checkpoint.pending());
    }

    @Override
    public SimpleVersionedSerializer<ReplayFileSplit> getSplitSerializer() {
        return ReplayFileSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<ReplayEnumeratorState> getEnumeratorCheckpointSerializer() {
        return ReplayEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<Sample> getProducedType() {
        return TypeInformation.of(Sample.class);
    }
}
