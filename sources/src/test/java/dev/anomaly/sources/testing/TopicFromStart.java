package dev.anomaly.sources.testing;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A consumer of every partition of a topic from its first record, by assignment rather than a consumer-group
 * subscription: no group join and rebalance stand between a test and the records (on a loaded CI host a group join
 * once outlasted a test's deadline, and the test saw none of the records that were there).
 */
public final class TopicFromStart {

    private TopicFromStart() {
    }

    /**
     * Assigns all partitions of {@code topic}, waiting up to 60 s for the topic to exist, and seeks each to its start;
     * {@code readCommitted} reads only what committed transactions hold.
     */
    public static <K, V> KafkaConsumer<K, V> open(String brokers, String topic, boolean readCommitted,
                                                  Deserializer<K> keys, Deserializer<V> values) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (readCommitted) {
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        KafkaConsumer<K, V> c = new KafkaConsumer<>(p, keys, values);
        try {
            List<TopicPartition> partitions = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.isEmpty()) {
                List<PartitionInfo> info;
                try {
                    info = c.partitionsFor(topic, Duration.ofSeconds(5));
                } catch (TimeoutException e) { // no metadata yet on a loaded host: ask again until the deadline
                    info = List.of();
                }
                partitions = info == null ? List.of()
                        : info.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                if (partitions.isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("topic " + topic + " has no partitions after 60 s");
                    }
                    Thread.sleep(200);
                }
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            return c;
        } catch (InterruptedException e) {
            c.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
