package dev.anomaly.sources.kafka;

import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.Sample;
import dev.anomaly.sources.rejects.MalformedCounters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits {@link ParsedRecord}s into the sample stream (main output) and the dead letters ({@link #DEAD_LETTERS}
 * side output), and counts them: operator metrics {@code anomaly.kafka_samples.samples}, {@code .unmapped} and
 * {@code .malformed}, and each rejected record by reason as every source counts what it rejects,
 * {@code anomaly_detector.source.reason=<reason>.malformed} ({@code anomaly_detector_source_malformed{reason}} after
 * Prometheus' renaming, which the MalformedRateHigh alert and the dashboard read).
 */
public final class ParsedRecordSplitter extends ProcessFunction<ParsedRecord, Sample> {
    private static final long serialVersionUID = 1L;

    /** The side output of rejected records. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("kafka-sample-dead-letters",
            TypeInformation.of(DeadLetter.class));

    private transient MetricGroup group;
    private transient Counter samples;
    private transient Counter unmapped;
    private transient Counter malformed;
    private transient MalformedCounters malformedByReason;

    @Override
    public void open(OpenContext openContext) {
        group = getRuntimeContext().getMetricGroup().addGroup("anomaly").addGroup("kafka_samples");
        samples = group.counter("samples");
        unmapped = group.counter("unmapped");
        malformed = group.counter("malformed");
        malformedByReason = new MalformedCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(ParsedRecord record, Context ctx, Collector<Sample> out) {
        if (record.isDeadLetter()) {
            DeadLetter d = record.deadLetter();
            malformed.inc();
            malformedByReason.of(d.reason()).inc();
            ctx.output(DEAD_LETTERS, d);
            return;
        }
        unmapped.inc(record.unmapped());
        for (Sample s : record.samples()) {
            samples.inc();
            out.collect(s);
        }
    }
}
