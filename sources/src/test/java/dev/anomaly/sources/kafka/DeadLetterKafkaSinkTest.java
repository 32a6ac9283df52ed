package dev.anomaly.sources.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.records.DeadLetter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.junit.jupiter.api.Test;

/** The dead-letter sink's record key and producer settings. */
class DeadLetterKafkaSinkTest {

    /** Dead letters of one source partition share a key (so one partition, in order); other partitions do not. */
    @Test
    void theKeyIsTheSourcePartitionWithoutTheOffset() {
        DeadLetterKafkaSink.OriginKey key = new DeadLetterKafkaSink.OriginKey();
        byte[] a = key.serialize(letter("kafka:node-metrics/3@17"));
        byte[] b = key.serialize(letter("kafka:node-metrics/3@18"));
        byte[] c = key.serialize(letter("kafka:node-metrics/4@17"));
        assertThat(new String(a, StandardCharsets.UTF_8)).isEqualTo("kafka:node-metrics/3");
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(new String(key.serialize(letter("/var/data/x.csv:12")), StandardCharsets.UTF_8))
                .as("other origins are kept whole").isEqualTo("/var/data/x.csv:12");
    }

    /**
     * Exactly-once needs a transaction timeout within the broker's cap (15 min by default): the connector's own
     * default (1 h) makes the producer fail to start. A timeout the caller sets is kept.
     */
    @Test
    void exactlyOnceGetsATransactionTimeoutTheBrokerAccepts() throws Exception {
        KafkaSink<DeadLetter> exactlyOnce = DeadLetterKafkaSink.builder().bootstrapServers("127.0.0.1:9092")
                .topic("dead").deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionalIdPrefix("dl").build();
        assertThat(producerConfig(exactlyOnce).getProperty("transaction.timeout.ms")).isEqualTo("900000");
        KafkaSink<DeadLetter> own = DeadLetterKafkaSink.builder().bootstrapServers("127.0.0.1:9092").topic("dead")
                .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionalIdPrefix("dl")
                .property("transaction.timeout.ms", "120000").build();
        assertThat(producerConfig(own).getProperty("transaction.timeout.ms")).isEqualTo("120000");
    }

    private static DeadLetter letter(String origin) {
        return new DeadLetter(origin, "bad_number", "detail", new byte[] {1}, 0L);
    }

    private static Properties producerConfig(KafkaSink<?> sink) throws ReflectiveOperationException {
        Method m = KafkaSink.class.getDeclaredMethod("getKafkaProducerConfig");
        m.setAccessible(true);
        return (Properties) m.invoke(sink);
    }
}
