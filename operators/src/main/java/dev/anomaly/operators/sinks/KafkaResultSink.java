package dev.anomaly.operators.sinks;

import dev.anomaly.models.records.DetectionResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    /**
     * The transaction timeout of the exactly-once sink unless its properties set one: the broker's default cap
     * (transaction.max.timeout.ms, 15 min). It must exceed the checkpoint interval plus a checkpoint's duration, which
     * the job's configuration checks.
     */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);


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
            producer.putIfAbsent("transaction.timeout.ms", String.valueOf(DEFAULT_TRANSACTION_TIMEOUT.toMillis()));
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

    // Named classes, not lambdas: the connector's lineage (KafkaSink.getLineageVertex, called by sinkTo) extracts
    // the record type from the schemas' generic interface, which fails for a lambda or method reference.

    /** The record key: the series id. */
    static final class SeriesIdKey implements SerializationSchema<DetectionResult> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DetectionResult r) {
            return r.seriesId().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The record value: the JSON event. */
    static final class JsonValue implements SerializationSchema<DetectionResult> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DetectionResult r) {
            return DetectionResultJson.toBytes(r);
        }
    }
}
