package dev.anomaly.job.cli;

import dev.anomaly.sources.testing.LocalServices;
import dev.anomaly.sources.testing.TopicFromStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.sources.prometheus.ExpositionSample;
import dev.anomaly.sources.prometheus.MetricType;
import dev.anomaly.sources.prometheus.PrometheusTextParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScrapeToKafkaCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ScrapeToKafkaCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "no target       | --brokers h:1 --topic t                                  | missing required option --target",
        "ftp target      | --target ftp://h/m --brokers h:1 --topic t               | --target needs an http(s) URL",
        "no host         | --target http:/metrics --brokers h:1 --topic t           | --target needs an http(s) URL",
        "broker no port  | --target http://h/m --brokers h --topic t                | --brokers needs HOST:PORT",
        "broker bad port | --target http://h/m --brokers h:99999 --topic t          | --brokers needs HOST:PORT",
        "bad topic       | --target http://h/m --brokers h:1 --topic a/b            | is not a Kafka topic name",
        "bad interval    | --target http://h/m --brokers h:1 --topic t --interval 5 | --interval needs a positive duration",
        "zero interval   | --target http://h/m --brokers h:1 --topic t --interval 0s | --interval needs a positive duration",
        "zero count      | --target http://h/m --brokers h:1 --topic t --count 0    | --count must be at least 1",
        "bad count       | --target http://h/m --brokers h:1 --topic t --count x    | --count needs a non-negative integer",
        "unknown option  | --target http://h/m --brokers h:1 --topic t --fast       | unknown argument '--fast'",
    })
    void badUsageExitsTwoWithOneLine(String why, String args, String message) {
        Result r = run(args.split(" "));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("anomaly scrape-to-kafka: ").contains(message);
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void publishesEachScrapeOfARealNodeExporterAsOneRecord() throws Exception {
        Map<String, String> env = LocalServices.start("node-exporter", "kafka");
        String target = env.get("NODE_EXPORTER_URL") + "/metrics";
        String brokers = env.get("KAFKA_BROKERS");
        String topic = "scrapes-" + UUID.randomUUID();

        long before = System.currentTimeMillis();
        Result r = run("--target", target, "--brokers", brokers, "--topic", topic, "--interval", "1s", "--count", "3");
        long after = System.currentTimeMillis();
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).hasSize(3).allMatch(l -> l.startsWith("scraped " + target));

        List<ConsumerRecord<String, byte[]>> records = consume(brokers, topic, 3);
        assertThat(records).hasSize(3);
        PrometheusTextParser parser = new PrometheusTextParser();
        long previous = 0;
        for (ConsumerRecord<String, byte[]> rec : records) {
            assertThat(rec.key()).isEqualTo(target);
            assertThat(rec.timestamp()).isBetween(before, after);
            if (previous > 0) { // one per interval: ~1 s apart
                assertThat(rec.timestamp() - previous).isBetween(900L, 2_500L);
            }
            previous = rec.timestamp();
            List<ExpositionSample> samples = parser.parse(new String(rec.value(), StandardCharsets.UTF_8));
            assertThat(samples).anySatisfy(s -> {
                assertThat(s.name()).isEqualTo("node_cpu_seconds_total");
                assertThat(s.type()).isEqualTo(MetricType.COUNTER);
                assertThat(s.labels()).containsKeys("cpu", "mode");
            });
            assertThat(samples).anySatisfy(s -> {
                assertThat(s.name()).isEqualTo("node_load1");
                assertThat(s.type()).isEqualTo(MetricType.GAUGE);
            });
        }
    }

    @Test
    void anUnreachableTargetIsReportedPerScrapeAndExitsOne() throws Exception {
        Map<String, String> env = LocalServices.start("kafka");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Result r = run("--target", "http://127.0.0.1:" + closedPort + "/metrics", "--brokers",
                env.get("KAFKA_BROKERS"), "--topic", "scrapes-" + UUID.randomUUID(), "--interval", "200ms",
                "--count", "2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(3);
        assertThat(r.err()).contains("failed: cannot fetch http://127.0.0.1:" + closedPort)
                .contains("2 of 2 scrapes failed");
    }

    private static List<ConsumerRecord<String, byte[]>> consume(String brokers, String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = TopicFromStart.open(brokers, topic, false, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && out.size() < expected) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            c.poll(Duration.ofSeconds(1)).forEach(out::add);
        }
        return out;
    }
}
