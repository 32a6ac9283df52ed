package dev.anomaly.job.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.sources.testing.LocalServices;
import dev.anomaly.sources.testing.TopicFromStart;
import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.job.hostile.HostileCorpus;
import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.sources.kafka.DeadLetterJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input through the whole job: the seeded {@link HostileCorpus} (over 10,000 malformed JSON records of every
 * category, valid ones interleaved, valid duplicates) is produced to a real Kafka topic of the broker of
 * {@code scripts/services.sh}; the job runs on a MiniCluster with no restart strategy and generic types off. Then:
 * the job is still RUNNING (so it never failed); every malformed record is on the dead-letter topic exactly once,
 * matched by its origin offset, with its expected reason and its payload (cut to 256 KiB for giant ones); the
 * source's per-reason counters equal the corpus' counts; the detector counted the duplicates; and every valid
 * series has its results, one per time step.
 */
class HostileInputJobTest {
    static final long SEED = 20_261_126L;
    static final int MAX_MESSAGE = 4 << 20;
    static final int DEAD_LETTER_PAYLOAD = 256 << 10;
    static final ConcurrentLinkedQueue<DetectionResult> RESULTS = new ConcurrentLinkedQueue<>();
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static String brokers;

    @BeforeAll
    static void startKafka() throws Exception {
        brokers = LocalServices.start("kafka").get("KAFKA_BROKERS");
        assertThat(brokers).as("KAFKA_BROKERS from scripts/services.sh env").isNotBlank();
    }

    @Test
    void malformedRecordsAreDeadLetteredAndCountedByReasonAndTheJobNeverFails() throws Exception {
        long started = System.nanoTime();
        String id = "hostile-" + UUID.randomUUID();
        String input = id + "-metrics";
        String dead = id + "-dead";
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (Admin admin = Admin.create(ap)) {
            // The input topic takes the giant messages (beyond the broker's default 1 MiB); the dead-letter topic
            // keeps the default: the dead letters must fit it.
            admin.createTopics(List.of(new NewTopic(input, 1, (short) 1)
                            .configs(Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE))),
                    new NewTopic(dead, 1, (short) 1))).all().get();
        }
        long now = System.currentTimeMillis();
        List<HostileCorpus.Entry> corpus = HostileCorpus.generate(SEED, now);
        Map<Long, HostileCorpus.Entry> expectedDead = produce(input, corpus);
        long produced = System.nanoTime();

        JobConfig config = ConfigLoader.load(null, List.of(
                "source.type=kafka", "source.kafka.brokers=" + brokers, "source.kafka.topic=" + input,
                "source.kafka.group-id=" + id, "source.kafka.format=json", "source.kafka.dead-letter-topic=" + dead,
                "source.idle-timeout=1s", "features.load.metric=" + HostileCorpus.METRIC, "features.load.kind=gauge",
                "fetch-interval=5s", "warmup.samples=16", "sinks.log.enabled=false",
                "flink.parallelism=2", "flink.checkpoint-interval=1s"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkSettings.jobLevel(config));
        Configuration noRestarts = new Configuration();
        noRestarts.setString("restart-strategy.type", "none");
        env.configure(noRestarts);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        RESULTS.clear();
        SingleOutputStreamOperator<DetectionResult> results = DetectionPipeline.attach(
                SampleSources.create(env, config), config);
        results.sinkTo(new CollectingSink()).name("collect results");
        JobClient job = env.executeAsync("hostile input " + id);

        Map<String, Integer> expectedResults = new TreeMap<>();
        HostileCorpus.SERIES.forEach(s -> expectedResults.put("load{instance=\"" + s + "\"}",
                HostileCorpus.STEPS - 1)); // the last step waits for a later watermark
        List<DeadLetter> letters;
        Map<String, List<Long>> resultTimes;
        try {
            letters = readDeadLetters(dead, expectedDead.size());
            long deadRead = System.nanoTime();
            resultTimes = awaitResults(expectedResults);
            System.out.printf("hostile corpus: dead letters read %.1f s after the start, results %.1f s later%n",
                    (deadRead - produced) / 1e9, (System.nanoTime() - deadRead) / 1e9);
            assertThat(job.getJobStatus().get()).as("the job after all input").isEqualTo(JobStatus.RUNNING);
            assertCounters(job, corpus);
        } finally {
            job.cancel().get();
        }

        // Every malformed record exactly once, with its reason and bytes; nothing else on the topic.
        Map<Long, Integer> times = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (DeadLetter d : letters) {
            assertThat(d.origin()).startsWith("kafka:" + input + "/0@");
            long offset = Long.parseLong(d.origin().substring(d.origin().indexOf('@') + 1));
            times.merge(offset, 1, Integer::sum);
            HostileCorpus.Entry e = expectedDead.get(offset);
            if (e == null) {
                wrong.add("offset " + offset + " is not a malformed record: " + d.reason() + " " + d.detail());
                continue;
            }
            byte[] value = e.value() == null ? new byte[0] : e.value();
            byte[] payload = value.length > DEAD_LETTER_PAYLOAD ? Arrays.copyOf(value, DEAD_LETTER_PAYLOAD) : value;
            if (!e.reason().equals(d.reason()) || !Arrays.equals(payload, d.payload()) || d.detail().isBlank()) {
                wrong.add("offset " + offset + " (" + e.category() + "): expected " + e.reason() + ", got "
                        + d.reason() + " (" + d.detail() + "), payload equal: " + Arrays.equals(payload, d.payload()));
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(times.keySet()).isEqualTo(expectedDead.keySet());
        assertThat(times.values()).as("each dead letter once").allMatch(n -> n == 1);

        // Valid series: a result per step, each time once (duplicates dropped), no gaps.
        for (String s : expectedResults.keySet()) {
            List<Long> ts = resultTimes.get(s);
            assertThat(ts).as(s).hasSize(HostileCorpus.STEPS - 1).doesNotHaveDuplicates();
            for (int i = 0; i < HostileCorpus.STEPS - 1; i++) {
                assertThat(ts).contains(HostileCorpus.stepTime(now, i));
            }
        }
        System.out.printf("hostile corpus: %d records (%d malformed) produced in %.1f s; job checked in %.1f s%n",
                corpus.size(), expectedDead.size(), (produced - started) / 1e9, (System.nanoTime() - produced) / 1e9);
    }

    /** Produces the corpus in order; returns offset → entry of the malformed ones. */
    static Map<Long, HostileCorpus.Entry> produce(String topic, List<HostileCorpus.Entry> corpus) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_MESSAGE));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 << 10));
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (HostileCorpus.Entry e : corpus) {
                sent.add(producer.send(new ProducerRecord<>(topic, null, null, null, e.value())));
            }
            producer.flush();
        }
        Map<Long, HostileCorpus.Entry> dead = new TreeMap<>();
        for (int i = 0; i < corpus.size(); i++) {
            long offset = sent.get(i).get().offset();
            if (corpus.get(i).malformed()) {
                dead.put(offset, corpus.get(i));
            }
        }
        return dead;
    }

    static List<DeadLetter> readDeadLetters(String topic, int expected) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = TopicFromStart.open(brokers, topic, false,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && letters.size() < expected) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    letters.add(DeadLetterJson.decode(r.value()));
                }
            }
            // Once more: anything beyond the expected (a repeat) must show.
            c.poll(Duration.ofSeconds(2)).forEach(r -> letters.add(DeadLetterJson.decode(r.value())));
        }
        return letters;
    }

    static Map<String, List<Long>> awaitResults(Map<String, Integer> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, List<Long>> out;
        do {
            out = new TreeMap<>();
            for (DetectionResult r : RESULTS) {
                assertThat(r.gap()).as("gap result %s", r).isFalse();
                out.computeIfAbsent(r.seriesId(), k -> new ArrayList<>()).add(r.timestampMs());
            }
            Map<String, List<Long>> now = out;
            if (expected.entrySet().stream().allMatch(e -> now.containsKey(e.getKey())
                    && now.get(e.getKey()).size() >= e.getValue())) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        Thread.sleep(1_000); // anything extra shows up
        Map<String, Integer> counts = new TreeMap<>();
        out = new TreeMap<>();
        for (DetectionResult r : RESULTS) {
            out.computeIfAbsent(r.seriesId(), k -> new ArrayList<>()).add(r.timestampMs());
        }
        out.forEach((k, v) -> counts.put(k, v.size()));
        assertThat(counts).as("results per series").isEqualTo(expected);
        return out;
    }

    /** Source counters per reason, unmapped, and the detector's duplicate, late and malformed counters. */
    static void assertCounters(JobClient job, List<HostileCorpus.Entry> corpus) {
        // The contract name every source counts its rejects under (anomaly_detector_source_malformed{reason}).
        Pattern reason = Pattern.compile(".*\\.anomaly_detector\\.source\\.reason\\.([a-z_]+)\\.malformed$");
        Map<String, Long> byReason = new TreeMap<>();
        Map<String, Long> totals = new TreeMap<>();
        for (Map.Entry<String, Metric> m : METRICS.getMetricsByIdentifiers(job.getJobID()).entrySet()) {
            if (!(m.getValue() instanceof Counter c)) {
                continue;
            }
            Matcher rm = reason.matcher(m.getKey());
            if (rm.matches()) {
                byReason.merge(rm.group(1), c.getCount(), Long::sum);
            }
            for (String suffix : List.of(".anomaly.kafka_samples.malformed", ".anomaly.kafka_samples.unmapped",
                    ".anomaly.kafka_samples.samples", ".duplicates_dropped", ".late_dropped",
                    ".samples_processed")) {
                if (m.getKey().endsWith(suffix)) {
                    totals.merge(suffix.substring(1), c.getCount(), Long::sum);
                }
            }
        }
        Map<String, Long> expected = new TreeMap<>();
        HostileCorpus.reasons(corpus).forEach((k, v) -> expected.put(k, (long) v));
        assertThat(byReason).as("dead letters counted per reason").isEqualTo(expected);
        long malformed = corpus.stream().filter(HostileCorpus.Entry::malformed).count();
        long mapped = (long) HostileCorpus.STEPS * HostileCorpus.SERIES.size() + HostileCorpus.DUPLICATES;
        assertThat(totals).containsEntry("anomaly.kafka_samples.malformed", malformed)
                .containsEntry("anomaly.kafka_samples.unmapped", (long) HostileCorpus.UNMAPPED)
                .containsEntry("anomaly.kafka_samples.samples", mapped)
                .containsEntry("duplicates_dropped", (long) HostileCorpus.DUPLICATES)
                .containsEntry("late_dropped", 0L);
    }

    /** Keeps every result in {@link #RESULTS} (the MiniCluster runs in this JVM). */
    static final class CollectingSink implements Sink<DetectionResult> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<DetectionResult> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(DetectionResult r, Context ctx) {
                    RESULTS.add(r);
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
