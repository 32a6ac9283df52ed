package dev.anomaly.job.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka SASL/SSL settings in {@code source.kafka.properties} and {@code sinks.kafka.properties} reach the Kafka
 * source, the dead-letter producer and the result producer of the built job graph unchanged, and the real Kafka
 * clients accept them; the configuration the job logs when it builds the graph carries none of the secrets.
 * <p>
 * The built connector objects keep their client properties in private fields (Flink has no public getter), read
 * here by reflection. No SASL broker is started: this checks the pass-through, not a login.
 */
class SecurityPassThroughTest {
    static final String SOURCE_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"detector\" password=\"source-sasl-pw-1y\";";
    static final String SINK_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"writer\" password=\"sink-sasl-pw-2y\";";

    @Test
    void saslPropertiesReachEveryKafkaClientAndTheLogShowsNoSecret(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, """
                device: cpu
                features:
                  cpu: {metric: node_cpu_seconds_total, kind: counter}
                source:
                  type: kafka
                  kafka:
                    brokers: 127.0.0.1:1
                    properties:
                      security.protocol: SASL_PLAINTEXT
                      sasl.mechanism: PLAIN
                      sasl.jaas.config: '%s'
                      ssl.truststore.password: source-truststore-pw-3y
                sinks:
                  log: {enabled: false}
                  kafka:
                    enabled: true
                    brokers: 127.0.0.1:1
                    delivery: at-least-once
                    properties:
                      security.protocol: SASL_PLAINTEXT
                      sasl.mechanism: PLAIN
                      sasl.jaas.config: '%s'
                """.formatted(SOURCE_JAAS, SINK_JAAS));
        JobConfig config = ConfigLoader.load(file, List.of());

        List<String> logged = new ArrayList<>();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        withCapturedLog(logged, () -> StreamingJob.build(env, config));

        assertThat(logged).anySatisfy(m -> assertThat(m).contains("anomaly-detection configuration")
                .contains("sasl.jaas.config: \"*****\""));
        for (String m : logged) {
            assertThat(m).doesNotContain("source-sasl-pw-1y").doesNotContain("sink-sasl-pw-2y")
                    .doesNotContain("source-truststore-pw-3y");
        }

        List<Transformation<?>> all = walk(env.getTransformations());
        List<KafkaSource<?>> sources = new ArrayList<>();
        List<KafkaSink<?>> sinks = new ArrayList<>();
        for (Transformation<?> t : all) {
            if (t instanceof SourceTransformation<?, ?, ?> s && s.getSource() instanceof KafkaSource<?> k) {
                sources.add(k);
            }
            if (t instanceof SinkTransformation<?, ?> s && s.getSink() instanceof KafkaSink<?> k) {
                sinks.add(k);
            }
        }
        assertThat(sources).hasSize(1);
        assertThat(sinks).as("the source's and the detector's dead-letter producers and the result producer")
                .hasSize(3);

        Properties consumer = (Properties) field(KafkaSource.class, "props").get(sources.get(0));
        assertThat(consumer).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "PLAIN").containsEntry("sasl.jaas.config", SOURCE_JAAS)
                .containsEntry("ssl.truststore.password", "source-truststore-pw-3y");
        List<String> producerJaas = new ArrayList<>();
        for (KafkaSink<?> sink : sinks) {
            Properties producer = (Properties) field(KafkaSink.class, "kafkaProducerConfig").get(sink);
            assertThat(producer).containsEntry("security.protocol", "SASL_PLAINTEXT")
                    .containsEntry("sasl.mechanism", "PLAIN");
            producerJaas.add(producer.getProperty("sasl.jaas.config"));
            // the real client accepts them: SASL/PLAIN login is set up when the client is created
            Properties p = new Properties();
            p.putAll(producer);
            p.remove("transactional.id");
            try (KafkaProducer<byte[], byte[]> client = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                assertThat(client.metrics()).isNotEmpty();
            }
        }
        // the dead-letter producers use the source's credentials, the result producer the sink's
        assertThat(producerJaas).containsExactlyInAnyOrder(SOURCE_JAAS, SOURCE_JAAS, SINK_JAAS);
        Properties c = new Properties();
        c.putAll(consumer);
        c.put("bootstrap.servers", "127.0.0.1:1");
        c.remove("ssl.truststore.password");
        try (KafkaConsumer<byte[], byte[]> client = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            assertThat(client.metrics()).isNotEmpty();
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static List<Transformation<?>> walk(List<Transformation<?>> roots) {
        Map<Transformation<?>, Boolean> seen = new IdentityHashMap<>();
        List<Transformation<?>> todo = new ArrayList<>(roots);
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.remove(todo.size() - 1);
            if (seen.put(t, true) == null) {
                todo.addAll(t.getInputs());
            }
        }
        return new ArrayList<>(seen.keySet());
    }

    /** Runs {@code action} with a log4j appender on the root logger that keeps every formatted message. */
    static void withCapturedLog(List<String> messages, Runnable action) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = context.getConfiguration().getRootLogger();
        AbstractAppender appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                synchronized (messages) {
                    messages.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        Level before = root.getLevel();
        root.addAppender(appender, Level.INFO, null);
        root.setLevel(Level.INFO);
        context.updateLoggers();
        try {
            action.run();
        } finally {
            root.removeAppender("capture");
            root.setLevel(before);
            context.updateLoggers();
            appender.stop();
        }
    }
}
