package dev.anomaly.sources.kafka;

import dev.anomaly.models.records.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;

/**
 * Builds a {@link KafkaSink} writing dead letters as {@link DeadLetterJson} to a dead-letter topic, keyed by the
 * dead letter's origin. Default delivery: at least once (flushed on every checkpoint and at the end of input).
 */
public final class DeadLetterKafkaSink {
    /**
     * The exactly-once transaction timeout where the properties set none: the broker's cap
     * (transaction.max.timeout.ms, 15 min by default), as the Flink builder's own default (1 h) exceeds it and the
     * producer would fail to start.
     */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private String bootstrapServers;
    private String topic;
    private DeliveryGuarantee guarantee = DeliveryGuarantee.AT_LEAST_ONCE;
    private String transactionalIdPrefix;
    private final Map<String, String> properties = new LinkedHashMap<>();

    private DeadLetterKafkaSink() {
    }

    public static DeadLetterKafkaSink builder() {
        return new DeadLetterKafkaSink();
    }

    public DeadLetterKafkaSink bootstrapServers(String servers) {
        this.bootstrapServers = servers;
        return this;
    }

    public DeadLetterKafkaSink topic(String name) {
        this.topic = name;
        return this;
    }

    /** EXACTLY_ONCE also needs {@link #transactionalIdPrefix}. */
    public DeadLetterKafkaSink deliveryGuarantee(DeliveryGuarantee g) {
        this.guarantee = g;
        return this;
    }

    public DeadLetterKafkaSink transactionalIdPrefix(String prefix) {
        this.transactionalIdPrefix = prefix;
        return this;
    }

    /** Any Kafka producer property. */
    public DeadLetterKafkaSink property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** @throws IllegalArgumentException naming the first missing setting */
    public KafkaSink<DeadLetter> build() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("dead-letter sink: bootstrapServers is not set");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("dead-letter sink: topic is not set");
        }
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE && transactionalIdPrefix == null) {
            throw new IllegalArgumentException("dead-letter sink: exactly-once delivery needs transactionalIdPrefix");
        }
        KafkaSinkBuilder<DeadLetter> b = KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrapServers)
                .setDeliveryGuarantee(guarantee)
                .setRecordSerializer(KafkaRecordSerializationSchema.<DeadLetter>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(new OriginKey())
                        .setValueSerializationSchema(new JsonValue())
                        .build());
        if (transactionalIdPrefix != null) {
            b.setTransactionalIdPrefix(transactionalIdPrefix);
        }
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE && !properties.containsKey("transaction.timeout.ms")) {
            b.setProperty("transaction.timeout.ms", String.valueOf(DEFAULT_TRANSACTION_TIMEOUT.toMillis()));
        }
        properties.forEach(b::setProperty);
        return b.build();
    }

    /**
     * The record key: the dead letter's origin without its offset ({@code kafka:topic/partition}), so that the
     * dead letters of one source partition land in one partition of the dead-letter topic, in their order.
     */
    static final class OriginKey implements SerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DeadLetter d) {
            return key(d.origin()).getBytes(StandardCharsets.UTF_8);
        }

        static String key(String origin) {
            int at = origin.lastIndexOf('@');
            return origin.startsWith("kafka:") && at > 0 ? origin.substring(0, at) : origin;
        }
    }

    /** The record value: {@link DeadLetterJson}. */
    private static final class JsonValue implements SerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DeadLetter d) {
            return DeadLetterJson.encode(d);
        }
    }
}
