package dev.anomaly.sources.kafka;

import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.Sample;
import dev.anomaly.sources.rates.CounterRateFunction;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Kafka samples of a job: Kafka source → {@link ParsedRecordSplitter} → (when any feature is a counter)
 * keyBy(series id) → {@link CounterRateFunction}.
 *
 * @param samples gauge values and counter rates, one series per {@link Sample#seriesId()}; no watermarks (assign
 *     them downstream if event time is needed)
 * @param deadLetters the rejected records (e.g. into {@link DeadLetterKafkaSink})
 */
public record KafkaSampleStreams(DataStream<Sample> samples, DataStream<DeadLetter> deadLetters) {

    /**
     * Adds the source and its processing steps to {@code env}.
     *
     * @param name operator name prefix, also the prefix of their uids (keep it stable across job versions: the
     *     counter state and the Kafka offsets are restored by uid)
     */
    public static KafkaSampleStreams attach(StreamExecutionEnvironment env, KafkaSource<ParsedRecord> source,
                                            FeatureMappings mappings, String name) {
        SingleOutputStreamOperator<Sample> split = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), name + " Kafka source")
                .uid(name + "-kafka-source")
                .process(new ParsedRecordSplitter(), TypeInformation.of(Sample.class))
                .name(name + " parse")
                .uid(name + "-parse");
        DataStream<DeadLetter> deadLetters = split.getSideOutput(ParsedRecordSplitter.DEAD_LETTERS);
        Set<String> counters = mappings.counterFeatures();
        if (counters.isEmpty()) {
            return new KafkaSampleStreams(split, deadLetters);
        }
        DataStream<Sample> rates = split
                .keyBy(Sample::seriesId, Types.STRING)
                .process(new CounterRateFunction(counters), TypeInformation.of(Sample.class))
                .name(name + " counter rates")
                .uid(name + "-counter-rates");
        return new KafkaSampleStreams(rates, deadLetters);
    }
}
