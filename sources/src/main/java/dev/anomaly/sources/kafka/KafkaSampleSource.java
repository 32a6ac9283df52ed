package dev.anomaly.sources.kafka;

import dev.anomaly.sources.prometheus.PrometheusTextParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds the {@link KafkaSource} of metric samples (node-exporter scrapes or prometheus-kafka-adapter JSON) that
 * produces {@link ParsedRecord}s; wire it with {@link KafkaSampleStreams#attach}.
 *
 * <pre>{@code
 * KafkaSource<ParsedRecord> source = KafkaSampleSource.builder()
 *         .bootstrapServers("127.0.0.1:19092").topics("node-metrics").groupId("anomaly")
 *         .format(SampleRecordFormat.PROMETHEUS_TEXT)
 *         .mappings(FeatureMappings.parse(List.of("cpu_user=counter:node_cpu_seconds_total{mode=\"user\"}")))
 *         .build();
 * }</pre>
 *
 * Offsets: starts from the group's committed offsets, or the earliest where it has none; with checkpointing on,
 * the source commits offsets to Kafka when a checkpoint completes (Flink's own checkpointed offsets decide on
 * restore). Unbounded unless {@link #bounded} is set.
 */
public final class KafkaSampleSource {
    private String bootstrapServers;
    private final List<String> topics = new ArrayList<>();
    private String groupId;
    private SampleRecordFormat format;
    private FeatureMappings mappings;
    private boolean skipHistogramsAndSummaries;
    private OffsetsInitializer startingOffsets;
    private OffsetsInitializer stoppingOffsets;
    private String clientIdPrefix;
    private RecordLimits limits = RecordLimits.defaults();
    private final Map<String, String> properties = new LinkedHashMap<>();

    private KafkaSampleSource() {
    }

    public static KafkaSampleSource builder() {
        return new KafkaSampleSource();
    }

    /** {@code host:port[,host:port...]} (required). */
    public KafkaSampleSource bootstrapServers(String servers) {
        this.bootstrapServers = servers;
        return this;
    }

    /** The topics to read (at least one). */
    public KafkaSampleSource topics(String... names) {
        topics.addAll(List.of(names));
        return this;
    }

    /** The consumer group (required): where committed offsets are kept. */
    public KafkaSampleSource groupId(String id) {
        this.groupId = id;
        return this;
    }

    /** The record value format (required). */
    public KafkaSampleSource format(SampleRecordFormat f) {
        this.format = f;
        return this;
    }

    /** Which metrics make which features (required). */
    public KafkaSampleSource mappings(FeatureMappings m) {
        this.mappings = m;
        return this;
    }

    /** Text format: drop histogram and summary families instead of passing their lines through (default false). */
    public KafkaSampleSource skipHistogramsAndSummaries(boolean skip) {
        this.skipHistogramsAndSummaries = skip;
        return this;
    }

    /** Where to start; default: committed offsets, else earliest. */
    public KafkaSampleSource startingOffsets(OffsetsInitializer offsets) {
        this.startingOffsets = offsets;
        return this;
    }

    /** Stop at these offsets (a bounded source, e.g. {@code OffsetsInitializer.latest()} for a replay or a test). */
    public KafkaSampleSource bounded(OffsetsInitializer offsets) {
        this.stoppingOffsets = offsets;
        return this;
    }

    /** What a record may hold before it is dead-lettered; default {@link RecordLimits#defaults()}. */
    public KafkaSampleSource limits(RecordLimits l) {
        this.limits = Objects.requireNonNull(l, "limits");
        return this;
    }

    public KafkaSampleSource clientIdPrefix(String prefix) {
        this.clientIdPrefix = prefix;
        return this;
    }

    /** Any Kafka consumer or connector property (e.g. {@code security.protocol}). */
    public KafkaSampleSource property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** The deserializer the source will use (for tests and for wiring a source built elsewhere). */
    public KafkaSampleDeserializer deserializer() {
        require(format != null, "format");
        require(mappings != null, "mappings");
        return new KafkaSampleDeserializer(format, mappings, skipHistogramsAndSummaries
                ? PrometheusTextParser.skippingHistogramsAndSummaries() : new PrometheusTextParser(), limits);
    }

    /** @throws IllegalArgumentException naming the first missing or invalid setting */
    @SuppressWarnings("deprecation") // OffsetResetStrategy: the type the connector's committedOffsets() takes
    public KafkaSource<ParsedRecord> build() {
        require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrapServers");
        require(!topics.isEmpty() && topics.stream().noneMatch(t -> t == null || t.isBlank()), "topics");
        require(groupId != null && !groupId.isBlank(), "groupId");
        KafkaSourceBuilder<ParsedRecord> b = KafkaSource.<ParsedRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topics)
                .setGroupId(groupId)
                .setDeserializer(deserializer())
                .setStartingOffsets(Objects.requireNonNullElse(startingOffsets,
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST)));
        if (clientIdPrefix != null) {
            b.setClientIdPrefix(clientIdPrefix);
        }
        if (stoppingOffsets != null) {
            b.setBounded(stoppingOffsets);
        }
        properties.forEach(b::setProperty);
        return b.build();
    }

    private static void require(boolean ok, String setting) {
        if (!ok) {
            throw new IllegalArgumentException("Kafka sample source: " + setting + " is not set");
        }
    }
}
