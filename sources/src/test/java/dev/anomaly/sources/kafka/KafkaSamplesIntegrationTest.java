package dev.anomaly.sources.kafka;

import dev.anomaly.sources.testing.LocalServices;
import dev.anomaly.sources.testing.TopicFromStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Kafka broker ({@code scripts/services.sh start kafka}) and a Flink MiniCluster: records produced with a
 * plain producer go through the Kafka sample source, the splitter and the counter rates; dead letters go to a
 * dead-letter topic through {@link DeadLetterKafkaSink}. Expected rates are computed here from the produced values.
 */
class KafkaSamplesIntegrationTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final FeatureMappings MAPPINGS = FeatureMappings.parse(List.of(
            "cpu_user=counter:node_cpu_seconds_total{mode=\"user\"}",
            "load1=gauge:node_load1"));
    private static final long T0 = 1_714_564_800_000L; // 2024-05-01T12:00:00Z

    private static String brokers;

    @BeforeAll
    static void startKafka() throws Exception {
        brokers = LocalServices.start("kafka").get("KAFKA_BROKERS");
        assertThat(brokers).as("KAFKA_BROKERS from scripts/services.sh env").isNotBlank();
    }

    /** One produced sample, for the expected results. */
    private record Produced(String metric, Map<String, String> labels, long ts, double value) {
    }

    @Test
    void jsonSamplesAndMalformedRecords() throws Exception {
        String topic = "samples-json-" + UUID.randomUUID();
        String dlq = topic + "-dead";
        createTopics(topic, dlq);

        List<Produced> produced = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        double[] cpu0 = {100, 102.5, 110, 3, 8}; // a reset at the 4th reading
        double[] cpu1 = {7, 7, 9.5, 20, 20.25};
        double[] load = {0.5, 0.75, Double.NaN, 1.25, 1};
        for (int i = 0; i < 5; i++) {
            long ts = T0 + i * 5_000L;
            Map<String, String> l0 = Map.of("instance", "h:9100", "cpu", "0", "mode", "user");
            Map<String, String> l1 = Map.of("instance", "h:9100", "cpu", "1", "mode", "user");
            produced.add(new Produced("node_cpu_seconds_total", l0, ts, cpu0[i]));
            produced.add(new Produced("node_cpu_seconds_total", l1, ts, cpu1[i]));
            produced.add(new Produced("node_load1", Map.of("instance", "h:9100"), ts, load[i]));
            // Timestamps alternate RFC 3339 and epoch ms; values alternate strings and numbers.
            values.add(json(i % 2 == 0 ? "\"" + java.time.Instant.ofEpochMilli(ts) + "\"" : Long.toString(ts),
                    i % 2 == 0 ? "\"" + cpu0[i] + "\"" : Double.toString(cpu0[i]), "node_cpu_seconds_total", l0));
            values.add(json(Long.toString(ts), "\"" + cpu1[i] + "\"", "node_cpu_seconds_total", l1));
            values.add(json("\"" + ts + "\"", Double.isNaN(load[i]) ? "\"NaN\"" : Double.toString(load[i]),
                    "node_load1", Map.of("instance", "h:9100")));
            values.add(json(Long.toString(ts), "1", "node_memory_MemFree_bytes", Map.of())); // unmapped
        }
        Map<String, String> malformed = Map.of(
                "{\"timestamp\":1,\"value\":", "invalid_json",
                "{\"timestamp\":1,\"name\":\"node_load1\"}", "missing_field",
                "{\"timestamp\":\"noon\",\"value\":1,\"name\":\"node_load1\"}", "bad_timestamp",
                "{\"timestamp\":1,\"value\":\"fast\",\"name\":\"node_load1\"}", "bad_value",
                "{\"timestamp\":1,\"value\":1,\"name\":\"node_load1\",\"labels\":{\"a\":[]}}", "wrong_type");
        Map<Long, String> expectedDead = new HashMap<>();
        Map<Long, byte[]> deadPayloads = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, values.get(i))).get();
                if (i == 6) { // malformed records among the good ones
                    for (Map.Entry<String, String> m : malformed.entrySet()) {
                        byte[] bytes = m.getKey().getBytes(StandardCharsets.UTF_8);
                        long offset = producer.send(new ProducerRecord<>(topic, bytes)).get().offset();
                        expectedDead.put(offset, m.getValue());
                        deadPayloads.put(offset, bytes);
                    }
                    long tombstone = producer.send(new ProducerRecord<>(topic, null, (byte[]) null)).get().offset();
                    expectedDead.put(tombstone, "empty_record");
                    deadPayloads.put(tombstone, new byte[0]);
                }
            }
        }

        List<Sample> samples = runJob(topic, dlq, SampleRecordFormat.JSON);

        assertThat(samples).containsExactlyInAnyOrderElementsOf(expected(produced));
        assertDeadLetters(dlq, topic, expectedDead, deadPayloads);
    }

    @Test
    void textScrapesWithTheRecordTimestampAndABrokenScrape() throws Exception {
        String topic = "samples-text-" + UUID.randomUUID();
        String dlq = topic + "-dead";
        createTopics(topic, dlq);

        List<Produced> produced = new ArrayList<>();
        double[] user0 = {500.25, 501.75, 504.75, 505};
        double[] user1 = {10, 12, 12, 30};
        double[] load = {0.1, Double.POSITIVE_INFINITY, 0.3, 0.4};
        Map<Long, String> expectedDead = new HashMap<>();
        Map<Long, byte[]> deadPayloads = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < user0.length; i++) {
                long ts = T0 + i * 5_000L;
                Map<String, String> l0 = Map.of("cpu", "0", "mode", "user");
                Map<String, String> l1 = Map.of("cpu", "1", "mode", "user");
                long loadTs = ts - 1_000; // this sample carries its own timestamp
                if (!Double.isInfinite(load[i])) {
                    produced.add(new Produced("node_cpu_seconds_total", l0, ts, user0[i]));
                    produced.add(new Produced("node_cpu_seconds_total", l1, ts, user1[i]));
                    produced.add(new Produced("node_load1", Map.of(), loadTs, load[i]));
                }
                String scrape = "# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
                        + "# TYPE node_cpu_seconds_total counter\n"
                        + "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} " + (1000 + i) + "\n"
                        + "node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} " + user0[i] + "\n"
                        + "node_cpu_seconds_total{cpu=\"1\",mode=\"user\"} " + user1[i] + "\n"
                        + "# TYPE node_load1 gauge\n"
                        + "node_load1 " + (Double.isInfinite(load[i]) ? "+Inf" : load[i]) + " " + loadTs + "\n";
                long scrapeOffset = producer.send(new ProducerRecord<>(topic, null, ts,
                        "h:9100".getBytes(StandardCharsets.UTF_8), scrape.getBytes(StandardCharsets.UTF_8))).get()
                        .offset();
                if (Double.isInfinite(load[i])) { // a mapped sample of +Inf rejects the whole scrape
                    expectedDead.put(scrapeOffset, "non_finite_value");
                    deadPayloads.put(scrapeOffset, scrape.getBytes(StandardCharsets.UTF_8));
                }
                if (i == 1) {
                    byte[] broken = "node_load1 0.2\nnode_cpu_seconds_total{cpu=\"0\" 3\n".getBytes(StandardCharsets.UTF_8);
                    long offset = producer.send(new ProducerRecord<>(topic, null, ts + 1, null, broken)).get().offset();
                    expectedDead.put(offset, "text_syntax");
                    deadPayloads.put(offset, broken);
                }
            }
        }

        List<Sample> samples = runJob(topic, dlq, SampleRecordFormat.PROMETHEUS_TEXT);

        assertThat(samples).containsExactlyInAnyOrderElementsOf(expected(produced));
        assertDeadLetters(dlq, topic, expectedDead, deadPayloads);
    }

    /** Gauges as produced; counters as rates between consecutive readings of a series, none after a decrease. */
    private static List<Sample> expected(List<Produced> produced) {
        List<Sample> out = new ArrayList<>();
        Map<String, Produced> previous = new HashMap<>();
        for (Produced p : produced) {
            if (p.metric().equals("node_load1")) {
                out.add(Sample.of("load1", p.metric(), p.labels(), p.ts(), p.value()));
                continue;
            }
            Sample asSample = Sample.of("cpu_user", p.metric(), p.labels(), p.ts(), p.value());
            Produced before = previous.put(asSample.seriesId(), p);
            if (before != null && p.value() >= before.value()) {
                double rate = (p.value() - before.value()) / ((p.ts() - before.ts()) / 1000.0);
                out.add(Sample.of("cpu_user", p.metric(), p.labels(), p.ts(), rate));
            }
        }
        return out;
    }

    private static List<Sample> runJob(String topic, String dlq, SampleRecordFormat format) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        KafkaSampleStreams streams = KafkaSampleStreams.attach(env, KafkaSampleSource.builder()
                .bootstrapServers(brokers).topics(topic).groupId("test-" + topic)
                .format(format).mappings(MAPPINGS)
                .limits(RecordLimits.defaults().withoutTimestampWindow()) // the samples are of 2024
                .bounded(OffsetsInitializer.latest())
                .build(), MAPPINGS, "samples");
        streams.deadLetters().sinkTo(DeadLetterKafkaSink.builder().bootstrapServers(brokers).topic(dlq).build())
                .name("dead letters");
        List<Sample> samples = new ArrayList<>();
        // Wait for the job to finish before closing the collector: closing it while the job still runs cancels the
        // job, and the dead-letter sink, which writes when its input ends, then never wrote (two CI runs read an
        // empty dead-letter topic; the samples had all arrived).
        try (CloseableIterator<Sample> it = streams.samples().collectAsync()) {
            JobClient job = env.executeAsync("kafka samples " + topic);
            it.forEachRemaining(samples::add);
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        }
        return samples;
    }

    private static void assertDeadLetters(String dlq, String topic, Map<Long, String> expectedReasons,
                                          Map<Long, byte[]> payloads) {
        List<ConsumerRecord<byte[], byte[]>> records = consume(dlq, expectedReasons.size());
        Map<Long, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            DeadLetter d = DeadLetterJson.decode(r.value());
            assertThat(d.origin()).startsWith("kafka:" + topic + "/0@");
            // keyed by the source partition, so one partition's dead letters stay together and in order
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("kafka:" + topic + "/0");
            long offset = Long.parseLong(d.origin().substring(d.origin().indexOf('@') + 1));
            reasons.put(offset, d.reason());
            assertThat(d.payload()).as("payload of %s", d).isEqualTo(payloads.get(offset));
            assertThat(d.detail()).isNotBlank();
            assertThat(d.seenAtMs()).isPositive();
        }
        assertThat(reasons).isEqualTo(expectedReasons);
    }

    private static byte[] json(String timestamp, String value, String name, Map<String, String> labels) {
        StringBuilder b = new StringBuilder("{\"timestamp\":").append(timestamp).append(",\"value\":").append(value)
                .append(",\"name\":\"").append(name).append("\",\"labels\":{\"__name__\":\"").append(name).append('"');
        labels.forEach((k, v) -> b.append(",\"").append(k).append("\":\"").append(v).append('"'));
        return b.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void createTopics(String... names) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, 1, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The records of {@code topic} from its start ({@link TopicFromStart}: assigned, not subscribed). */
    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = TopicFromStart.open(brokers, topic, false,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.currentTimeMillis() + 60_000;
            // Read until the expected count, then one more short poll to catch any extra record.
            while (System.currentTimeMillis() < deadline && out.size() < expected) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            c.poll(Duration.ofSeconds(1)).forEach(out::add);
        }
        return out;
    }
}
