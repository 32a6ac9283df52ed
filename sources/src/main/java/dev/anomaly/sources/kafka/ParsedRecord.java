package dev.anomaly.sources.kafka;

import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.Sample;
import java.util.List;

/**
 * What one Kafka record became: either the samples of its mapped features (and how many of its samples no feature
 * maps), or a dead letter. A Flink POJO (record), so no Kryo; {@link ParsedRecordSplitter} turns it into the sample
 * stream and the dead-letter side output.
 *
 * @param samples the mapped samples (counters still as raw counter values); empty for a dead letter
 * @param unmapped how many samples of the record matched no feature (dropped, not an error)
 * @param deadLetter the rejected record, or null
 */
public record ParsedRecord(List<Sample> samples, int unmapped, DeadLetter deadLetter) {

    public ParsedRecord {
        samples = samples == null ? List.of() : samples;
    }

    public static ParsedRecord ofSamples(List<Sample> samples, int unmapped) {
        return new ParsedRecord(samples, unmapped, null);
    }

    public static ParsedRecord ofDeadLetter(DeadLetter deadLetter) {
        return new ParsedRecord(List.of(), 0, deadLetter);
    }

    public boolean isDeadLetter() {
        return deadLetter != null;
    }
}
