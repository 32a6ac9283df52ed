package dev.anomaly.operators.sinks;

import dev.anomaly.models.records.DetectionResult;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The Kafka sink of detection events: JSON values ({@link DetectionResultJson}), keyed by series id so a series'
 * events stay in order in one partition. The delivery guarantee is configurable; exactly-once uses Kafka
 * transactions committed on Flink checkpoints (consumers must read with {@code isolation.level=read_committed}).
 */
public final class KafkaResultSink {

    private KafkaResultSink() {
    }

    /**
     * A sink writing to {@code topic} on {@code brokers}.
     *
     * @param transactionalIdPrefix required for exactly-once; unique per job on the cluster
     * @param properties extra producer properties (security, SASL/SSL, ...), passed through unchanged
     */
    public static KafkaSink<DetectionResult> create(String brokers, String topic, DeliveryGuarantee guarantee,
                                                    String transactionalIdPrefix, Properties properties) {
        KafkaRecordSerializationSchema<DetectionResult> schema = KafkaRecordSerializationSchema.<DetectionResult>builder()
                .setTopic(topic)
                .setKeySerializationSchema(new SeriesIdKey())
                .setValueSerializationSchema(new JsonValue())
                .build();
        Properties producer = new Properties();
        producer.putAll(properties);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            // Must exceed the checkpoint interval plus recovery time; the broker caps it (15 min by default).
            producer.putIfAbsent("transaction.timeout.ms", "600000");
        }
        var builder = KafkaSink.<DetectionResult>builder()
                .setBootstrapServers(brokers)
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(guarantee)
                .setKafkaProducerConfig(producer);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(transactionalIdPrefix);
        }
        return builder.build();
    }

    // Named classes, not lambdas: KafkaSink's lineage (computed when the sink is added to a stream) extracts the
    // serialization schemas' type parameter, which a lambda does not carry.

    /** The record key: the series id (a series' events stay in one partition, in order). */
    static final class SeriesIdKey implements SerializationSchema<DetectionResult> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DetectionResult r) {
            return r.seriesId().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The record value: {@link DetectionResultJson}. */
    static final class JsonValue implements SerializationSchema<DetectionResult> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DetectionResult r) {
            return DetectionResultJson.toBytes(r);
        }
    }
}
