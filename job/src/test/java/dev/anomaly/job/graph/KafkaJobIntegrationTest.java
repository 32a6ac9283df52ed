package dev.anomaly.job.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anomaly.sources.testing.LocalServices;
import dev.anomaly.sources.testing.TopicFromStart;
import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.Sample;
import dev.anomaly.sources.kafka.DeadLetterJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
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
 * The whole job with the Kafka source and the Kafka result sink against the real broker of
 * {@code scripts/services.sh}: node-exporter style scrapes (two CPU idle counters and a memory gauge, plus metrics
 * no feature maps) and malformed records go in; every sample's detection result must come out on the result topic
 * (exactly once, read with read_committed) and every malformed record on the dead-letter topic with its reason.
 * A second run over the same records fails once after a checkpoint and restarts from it: its results must equal the
 * uninterrupted run's, per series and per timestamp (no loss, no duplicates). The first phase's results are
 * committed before the failure, so a restart from scratch would repeat them: none repeated means the job resumed
 * from the checkpoint (offsets, counter state and detector state together).
 */
class KafkaJobIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long STEP_MS = 5_000;
    static final int PHASE_1 = 40;
    static final int PHASE_2 = 30;
    /** Set by the failing map of the interrupted run: a failure is injected only once. */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static String brokers;

    @BeforeAll
    static void startKafka() throws Exception {
        brokers = LocalServices.start("kafka").get("KAFKA_BROKERS");
        assertThat(brokers).as("KAFKA_BROKERS from scripts/services.sh env").isNotBlank();
    }

    /** One run's topics and names, unique per run. */
    record Run(String input, String output, String deadLetters, String id) {
        static Run create(String name) throws Exception {
            String id = name + "-" + UUID.randomUUID();
            Run r = new Run(id + "-metrics", id + "-anomalies", id + "-dead", id);
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
            try (Admin admin = Admin.create(p)) {
                admin.createTopics(List.of(new NewTopic(r.input, 1, (short) 1), new NewTopic(r.output, 2, (short) 1),
                        new NewTopic(r.deadLetters, 1, (short) 1))).all().get();
            }
            return r;
        }

        JobConfig config() {
            return ConfigLoader.load(null, List.of(
                    "source.type=kafka", "source.kafka.brokers=" + brokers, "source.kafka.topic=" + input,
                    "source.kafka.group-id=" + id, "source.kafka.format=prometheus-text",
                    "source.kafka.dead-letter-topic=" + deadLetters, "source.idle-timeout=1s",
                    "features.cpu.metric=node_cpu_seconds_total", "features.cpu.match.mode=idle",
                    "features.cpu.kind=counter",
                    "features.memory.metric=node_memory_MemAvailable_bytes", "features.memory.kind=gauge",
                    "fetch-interval=5s", "warmup.samples=16",
                    "sinks.log.enabled=false", "sinks.kafka.enabled=true", "sinks.kafka.brokers=" + brokers,
                    "sinks.kafka.topic=" + output, "sinks.kafka.events=all", "sinks.kafka.delivery=exactly-once",
                    "sinks.kafka.transactional-id-prefix=" + id,
                    "flink.parallelism=2", "flink.checkpoint-interval=1s"));
        }
    }

    @Test
    void resultsAndDeadLettersOnTheirTopicsAndARestartFromACheckpointLosesAndRepeatsNothing() throws Exception {
        long t0 = System.currentTimeMillis() / STEP_MS * STEP_MS - Duration.ofMinutes(30).toMillis();

        // Uninterrupted run: every record at once.
        Run plain = Run.create("plain");
        Map<Long, String> deadReasons = produce(plain.input, t0, 0, PHASE_1 + PHASE_2);
        JobClient job = start(plain, Long.MAX_VALUE);
        Map<String, Map<Long, JsonNode>> uninterrupted;
        try {
            uninterrupted = awaitResults(plain.output, expectedCounts(PHASE_1 + PHASE_2));
        } finally {
            job.cancel().get();
        }
        assertDeadLetters(plain, deadReasons);

        // Interrupted run: the first phase, its results committed (so a checkpoint holds it), then the second phase,
        // whose first sample makes the job fail; it restarts from the last checkpoint.
        Run restarted = Run.create("restart");
        FAILED.set(false);
        Map<Long, String> deadReasons2 = produce(restarted.input, t0, 0, PHASE_1);
        job = start(restarted, t0 + PHASE_1 * STEP_MS);
        Map<String, Map<Long, JsonNode>> afterRestart;
        try {
            awaitResults(restarted.output, expectedCounts(PHASE_1));
            assertThat(FAILED).isFalse();
            produce(restarted.input, t0, PHASE_1, PHASE_2);
            afterRestart = awaitResults(restarted.output, expectedCounts(PHASE_1 + PHASE_2));
            assertThat(FAILED).as("the injected failure happened").isTrue();
        } finally {
            job.cancel().get();
        }
        assertDeadLetters(restarted, deadReasons2);

        assertThat(counts(afterRestart)).isEqualTo(counts(uninterrupted)).isEqualTo(expectedCounts(PHASE_1 + PHASE_2));
        for (String series : uninterrupted.keySet()) {
            Map<Long, JsonNode> a = uninterrupted.get(series);
            Map<Long, JsonNode> b = afterRestart.get(series);
            assertThat(b.keySet()).isEqualTo(a.keySet());
            for (Long ts : a.keySet()) {
                // The values, the model's state and its prediction: the restored state continues exactly.
                assertThat(b.get(ts).get("value")).as("%s @%d", series, ts).isEqualTo(a.get(ts).get("value"));
                assertThat(b.get(ts).get("model_state")).as("%s @%d", series, ts)
                        .isEqualTo(a.get(ts).get("model_state"));
                assertThat(b.get(ts).get("yhat")).as("%s @%d", series, ts).isEqualTo(a.get(ts).get("yhat"));
            }
        }
        // The values are the counters' rates and the gauge's values as produced.
        Map<Long, JsonNode> cpu0 = uninterrupted.get("cpu{cpu=\"0\",mode=\"idle\"}");
        for (int i = 1; i < PHASE_1 + PHASE_2 - 1; i++) {
            long ts = t0 + i * STEP_MS;
            assertThat(cpu0.get(ts).get("value").asDouble()).as("cpu0 rate @%d", i)
                    .isCloseTo((idle(0, i) - idle(0, i - 1)) / 5.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(uninterrupted.get("memory{}").get(ts).get("value").asDouble()).isEqualTo(memory(i));
        }
        assertThat(cpu0.values()).filteredOn(n -> n.get("model_state").asText().equals("self_trained"))
                .isNotEmpty().allSatisfy(n -> assertThat(n.get("score").isNumber()).isTrue());
    }

    /** Per series: results for all samples but the last (waiting for a later watermark); counters lose the first. */
    static Map<String, Integer> expectedCounts(int scrapes) {
        return Map.of("cpu{cpu=\"0\",mode=\"idle\"}", scrapes - 2, "cpu{cpu=\"1\",mode=\"idle\"}", scrapes - 2,
                "memory{}", scrapes - 1);
    }

    static Map<String, Integer> counts(Map<String, Map<Long, JsonNode>> results) {
        Map<String, Integer> out = new HashMap<>();
        results.forEach((k, v) -> out.put(k, v.size()));
        return out;
    }

    static JobClient start(Run run, long failAtOrAfterMs) throws Exception {
        JobConfig config = run.config();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkSettings.jobLevel(config));
        Configuration restarts = new Configuration();
        restarts.setString("restart-strategy.type", "fixed-delay");
        restarts.setString("restart-strategy.fixed-delay.attempts", "3");
        restarts.setString("restart-strategy.fixed-delay.delay", "500 ms");
        env.configure(restarts);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        DataStream<Sample> samples = SampleSources.create(env, config)
                .map(new FailOnce(failAtOrAfterMs), TypeInformation.of(Sample.class)).name("failure injection");
        DetectionPipeline.attach(samples, config);
        return env.executeAsync(StreamingJob.JOB_NAME + " " + run.id);
    }

    /** Throws once, at the first sample at or after a time: a task failure in the middle of the stream. */
    static final class FailOnce implements MapFunction<Sample, Sample> {
        private static final long serialVersionUID = 1L;
        private final long atOrAfterMs;

        FailOnce(long atOrAfterMs) {
            this.atOrAfterMs = atOrAfterMs;
        }

        @Override
        public Sample map(Sample s) {
            if (s.timestampMs() >= atOrAfterMs && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at " + s);
            }
            return s;
        }
    }

    static double idle(int cpu, int i) {
        return 1000 + cpu * 300 + i * 4.0 + 0.5 * Math.sin(i * 0.7 + cpu); // ~80% idle, wobbling
    }

    static double memory(int i) {
        return 4.0e9 + 1.0e7 * Math.sin(2 * Math.PI * i / 12) + 1.0e5 * Math.cos(i * 1.3);
    }

    /**
     * Produces scrapes {@code from .. from+n-1} (one record each, record timestamp = scrape time); the first phase
     * also gets three malformed records after its 10th scrape. Returns offset -> expected dead-letter reason.
     */
    static Map<Long, String> produce(String topic, long t0, int from, int n) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        Map<Long, String> dead = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            byte[] key = "127.0.0.1:9100".getBytes(StandardCharsets.UTF_8);
            for (int i = from; i < from + n; i++) {
                long ts = t0 + i * STEP_MS;
                StringBuilder s = new StringBuilder("# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
                        + "# TYPE node_cpu_seconds_total counter\n");
                for (int cpu = 0; cpu < 2; cpu++) {
                    s.append(String.format(Locale.ROOT, "node_cpu_seconds_total{cpu=\"%d\",mode=\"idle\"} %s%n", cpu,
                            idle(cpu, i)));
                    s.append(String.format(Locale.ROOT, "node_cpu_seconds_total{cpu=\"%d\",mode=\"user\"} %s%n", cpu,
                            10.0 + i));
                }
                s.append("# HELP node_memory_MemAvailable_bytes Memory information field MemAvailable_bytes.\n"
                        + "# TYPE node_memory_MemAvailable_bytes gauge\n"
                        + "node_memory_MemAvailable_bytes " + memory(i) + "\n"
                        + "# TYPE node_load1 gauge\nnode_load1 0.25\n");
                producer.send(new ProducerRecord<>(topic, null, ts, key, s.toString().getBytes(StandardCharsets.UTF_8)))
                        .get();
                if (i == 10) {
                    dead.put(send(producer, topic, ts + 1, "node_load1 0.2\nnode_cpu_seconds_total{cpu=\"0\" 3\n"
                            .getBytes(StandardCharsets.UTF_8)), "text_syntax");
                    dead.put(send(producer, topic, ts + 2, null), "empty_record");
                    dead.put(send(producer, topic, ts + 3, new byte[] {'n', 'o', (byte) 0xff, (byte) 0xfe}),
                            "invalid_encoding");
                }
            }
        }
        return dead;
    }

    static long send(KafkaProducer<byte[], byte[]> producer, String topic, long ts, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, null, ts, null, value)).get().offset();
    }

    /**
     * Reads the result topic (read_committed: only what committed transactions hold) until every series has its
     * expected number of results, then once more for 2 s to catch any extra; returns series -> time -> event.
     * A repeated (series, time) fails the test.
     */
    static Map<String, Map<Long, JsonNode>> awaitResults(String topic, Map<String, Integer> expected)
            throws IOException {
        Map<String, Map<Long, JsonNode>> out = new TreeMap<>();
        List<String> repeated = new ArrayList<>();
        Predicate<Map<String, Map<Long, JsonNode>>> complete = m -> expected.entrySet().stream()
                .allMatch(e -> m.containsKey(e.getKey()) && m.get(e.getKey()).size() >= e.getValue());
        try (KafkaConsumer<byte[], byte[]> c = consumer(topic, true)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !complete.test(out)) {
                collect(c.poll(Duration.ofMillis(500)), out, repeated);
            }
            collect(c.poll(Duration.ofSeconds(2)), out, repeated);
        }
        assertThat(repeated).as("results repeated on %s", topic).isEmpty();
        assertThat(counts(out)).as("results per series on %s", topic).isEqualTo(expected);
        return out;
    }

    private static void collect(Iterable<ConsumerRecord<byte[], byte[]>> records, Map<String, Map<Long, JsonNode>> out,
                                List<String> repeated) throws IOException {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode n = JSON.readTree(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(n.get("series").asText());
            assertThat(n.get("gap").asBoolean()).as("gap result %s", n).isFalse();
            if (out.computeIfAbsent(n.get("series").asText(), k -> new TreeMap<>())
                    .put(n.get("timestamp_ms").asLong(), n) != null) {
                repeated.add(n.get("series").asText() + "@" + n.get("timestamp_ms").asLong());
            }
        }
    }

    /** The dead-letter topic holds each malformed record once, with its reason, origin and original bytes. */
    static void assertDeadLetters(Run run, Map<Long, String> expected) {
        Map<Long, String> reasons = new TreeMap<>();
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(run.deadLetters, false)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && letters.size() < expected.size()) {
                c.poll(Duration.ofMillis(500)).forEach(r -> letters.add(DeadLetterJson.decode(r.value())));
            }
            c.poll(Duration.ofSeconds(1)).forEach(r -> letters.add(DeadLetterJson.decode(r.value())));
        }
        for (DeadLetter d : letters) {
            assertThat(d.origin()).startsWith("kafka:" + run.input + "/0@");
            assertThat(d.detail()).isNotBlank();
            reasons.put(Long.parseLong(d.origin().substring(d.origin().indexOf('@') + 1)), d.reason());
        }
        assertThat(letters).hasSize(expected.size());
        assertThat(reasons).isEqualTo(expected);
    }

    static KafkaConsumer<byte[], byte[]> consumer(String topic, boolean readCommitted) {
        return TopicFromStart.open(brokers, topic, readCommitted, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
