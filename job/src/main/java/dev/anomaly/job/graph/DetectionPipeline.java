package dev.anomaly.job.graph;

import dev.anomaly.job.config.JobConfig;
import dev.anomaly.job.config.SinkSettings;
import dev.anomaly.job.config.SourceSettings;
import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.Sample;
import dev.anomaly.operators.detection.SeriesDetectionFunction;
import dev.anomaly.operators.detection.SeriesDetectionOperator;
import dev.anomaly.operators.sinks.AnomalyLogSink;
import dev.anomaly.operators.sinks.KafkaResultSink;
import dev.anomaly.operators.sinks.VictoriaMetricsSink;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The detection part of the job graph: samples keyed by series id into {@link SeriesDetectionOperator} (the
 * {@link SeriesDetectionFunction}, with LSTM inference batched across series when configured), results
 * into the configured sinks, the operator's dead letters into the dead-letter output. Operator uids are fixed so
 * savepoints survive changes to the rest of the graph.
 */
public final class DetectionPipeline {
    /** Uid of the keyed detection operator: its state lives under this name in savepoints. Never change it. */
    public static final String DETECTION_UID = "series-detection";

    private DetectionPipeline() {
    }

    /** The watermark strategy for samples: bounded out-of-orderness and idleness from the source settings. */
    public static WatermarkStrategy<Sample> watermarks(JobConfig config) {
        WatermarkStrategy<Sample> w = WatermarkStrategy.<Sample>forBoundedOutOfOrderness(
                        config.source().outOfOrderness())
                .withTimestampAssigner((s, previous) -> s.timestampMs());
        return config.source().idleTimeout().isZero() ? w : w.withIdleness(config.source().idleTimeout());
    }

    /**
     * Adds detection and sinks behind {@code samples} (which must carry timestamps and watermarks); returns the
     * result stream (its side output {@link SeriesDetectionFunction#DEAD_LETTERS} holds rejected samples).
     */
    public static SingleOutputStreamOperator<DetectionResult> attach(DataStream<Sample> samples, JobConfig config) {
        SingleOutputStreamOperator<DetectionResult> results = samples
                .keyBy(Sample::seriesId)
                .transform("SARIMA-EE-LSTM detection", TypeInformation.of(DetectionResult.class),
                        new SeriesDetectionOperator(new SeriesDetectionFunction(config.detection()),
                                config.inference()))
                .uid(DETECTION_UID)
                .name("SARIMA-EE-LSTM detection");
        SinkSettings sinks = config.sinks();
        if (sinks.log().enabled()) {
            results.sinkTo(new AnomalyLogSink(sinks.log().anomaliesOnly())).uid("sink-log").name("anomaly log");
        }
        if (sinks.kafka().enabled()) {
            DataStream<DetectionResult> events = sinks.kafka().events() == SinkSettings.Kafka.Events.ALL ? results
                    : results.filter(DetectionResult::anomaly).uid("anomalies-only").name("anomalies only");
            Properties props = new Properties();
            props.putAll(sinks.kafka().properties());
            events.sinkTo(KafkaResultSink.create(sinks.kafka().brokers(), sinks.kafka().topic(),
                            guarantee(sinks.kafka().delivery()), sinks.kafka().transactionalIdPrefix(), props))
                    .uid("sink-kafka").name("Kafka: " + sinks.kafka().topic());
        }
        if (sinks.victoriaMetrics().enabled()) {
            results.sinkTo(new VictoriaMetricsSink(sinks.victoriaMetrics().url(), sinks.victoriaMetrics().batchLines(),
                            config.fetchInterval().toMillis(), sinks.victoriaMetrics().retries(),
                            sinks.victoriaMetrics().timeout(), sinks.victoriaMetrics().onFailure()))
                    .uid("sink-victoriametrics").name("VictoriaMetrics write-back");
        }
        DataStream<DeadLetter> rejected = results.getSideOutput(SeriesDetectionFunction.DEAD_LETTERS);
        rejected.sinkTo(new DeadLetterLogSink()).uid("detector-dead-letters-log").name("dead letters (log)");
        if (config.source().type() == SourceSettings.Type.KAFKA) {
            // With a Kafka source, the samples the detector rejects join the source's dead letters on their topic.
            rejected.sinkTo(SampleSources.deadLetterSink(config)).uid("detector-dead-letters-kafka")
                    .name("detector dead letters: " + config.source().kafka().deadLetterTopic());
        }
        return results;
    }

    static DeliveryGuarantee guarantee(SinkSettings.Kafka.Delivery d) {
        return switch (d) {
            case EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
            case AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
            case NONE -> DeliveryGuarantee.NONE;
        };
    }
}
