package dev.anomaly.job.graph;

import dev.anomaly.job.config.ConfigException;
import dev.anomaly.job.config.FeatureSpec;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.job.config.SourceSettings;
import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.Sample;
import dev.anomaly.sources.host.HostMetricsSource;
import dev.anomaly.sources.host.HostMetricsSourceBuilder;
import dev.anomaly.sources.replay.ReplaySource;
import dev.anomaly.sources.replay.ReplaySourceBuilder;
import dev.anomaly.sources.kafka.DeadLetterKafkaSink;
import dev.anomaly.sources.kafka.FeatureMapping;
import dev.anomaly.sources.kafka.FeatureMappings;
import dev.anomaly.sources.kafka.KafkaSampleSource;
import dev.anomaly.sources.kafka.KafkaSampleStreams;
import dev.anomaly.sources.kafka.MetricKind;
import dev.anomaly.sources.kafka.RecordLimits;
import dev.anomaly.sources.kafka.SampleRecordFormat;
import dev.anomaly.sources.victoriametrics.SecretRef;
import dev.anomaly.sources.victoriametrics.VictoriaMetricsAuth;
import dev.anomaly.sources.victoriametrics.VictoriaMetricsSource;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The configured source as a stream of samples with timestamps and watermarks. Source uids are fixed. */
final class SampleSources {

    private SampleSources() {
    }

    static DataStream<Sample> create(StreamExecutionEnvironment env, JobConfig config) {
        return switch (config.source().type()) {
            case VICTORIAMETRICS -> env.fromSource(victoriaMetrics(config), DetectionPipeline.watermarks(config),
                    "VictoriaMetrics").uid("source-victoriametrics");
            case HOST -> env.fromSource(host(config), DetectionPipeline.watermarks(config), "host metrics (/proc)")
                    .uid("source-host");
            case REPLAY -> env.fromSource(replay(config), DetectionPipeline.watermarks(config), "replay")
                    .uid("source-replay");
            case KAFKA -> kafka(env, config);
        };
    }

    /**
     * node-exporter samples from Kafka: parsed, mapped to features, counters turned into rates; malformed records
     * go to the dead-letter topic with their reason.
     */
    static DataStream<Sample> kafka(StreamExecutionEnvironment env, JobConfig config) {
        SourceSettings.Kafka k = config.source().kafka();
        List<FeatureMapping> list = new ArrayList<>();
        for (FeatureSpec f : config.features().values()) {
            list.add(new FeatureMapping(f.name(), f.metric(), f.match(),
                    f.kind() == FeatureSpec.Kind.COUNTER ? MetricKind.COUNTER : MetricKind.GAUGE));
        }
        FeatureMappings mappings = new FeatureMappings(list);
        KafkaSampleSource b = KafkaSampleSource.builder()
                .bootstrapServers(k.brokers())
                .topics(k.topic())
                .groupId(k.groupId())
                .format(k.format() == SourceSettings.Kafka.Format.JSON ? SampleRecordFormat.JSON
                        : SampleRecordFormat.PROMETHEUS_TEXT)
                .mappings(mappings)
                .limits(RecordLimits.defaults().withMaxRecordBytes(k.maxRecordBytes())
                        .withTimestampWindow(k.maxAge(), k.maxFuture()));
        k.properties().forEach(b::property);
        KafkaSampleStreams streams;
        try {
            streams = KafkaSampleStreams.attach(env, b.build(), mappings, "samples");
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException("config section 'source.kafka': " + e.getMessage(), e);
        }
        streams.deadLetters().sinkTo(deadLetterSink(config)).uid("sink-dead-letters-kafka").name("dead letters: "
                + k.deadLetterTopic());
        return streams.samples().assignTimestampsAndWatermarks(DetectionPipeline.watermarks(config))
                .uid("samples-watermarks").name("watermarks");
    }

    /** The Kafka sink of the dead-letter topic {@code source.kafka.dead-letter-topic} (Kafka source only). */
    static KafkaSink<DeadLetter> deadLetterSink(JobConfig config) {
        SourceSettings.Kafka k = config.source().kafka();
        DeadLetterKafkaSink dlq = DeadLetterKafkaSink.builder().bootstrapServers(k.brokers())
                .topic(k.deadLetterTopic());
        k.properties().forEach(dlq::property);
        try {
            return dlq.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config section 'source.kafka': " + e.getMessage(), e);
        }
    }

    static HostMetricsSource host(JobConfig config) {
        HostMetricsSourceBuilder b = HostMetricsSource.builder()
                .interval(config.fetchInterval())
                .procRoot(config.source().host().procRoot());
        if (!config.features().isEmpty()) {
            try {
                b.features(config.features().keySet().toArray(String[]::new));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("config key 'features' for the host source: " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    static ReplaySource replay(JobConfig config) {
        SourceSettings.Replay r = config.source().replay();
        ReplaySourceBuilder b = ReplaySource.builder().rate(r.rate()).shiftToNow(r.shiftToNow());
        try {
            if (Files.isDirectory(r.path())) {
                b.directory(r.path(), r.feature());
            } else {
                String name = r.path().getFileName().toString().replaceFirst("\\.csv$", "");
                b.file(r.path(), r.feature(), Map.of("file", name));
            }
            return b.build();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ConfigException("config key 'source.replay.path': " + e.getMessage(), e);
        }
    }

    static VictoriaMetricsSource victoriaMetrics(JobConfig config) {
        SourceSettings.VictoriaMetrics vm = config.source().victoriaMetrics();
        VictoriaMetricsSource.Builder b = VictoriaMetricsSource.builder()
                .url(vm.url())
                .step(vm.step())
                .fetchInterval(config.fetchInterval())
                .lag(vm.lag())
                .lookBack(vm.lookBack())
                .timeout(vm.timeout())
                .retries(vm.retryInitial(), vm.retryMax());
        for (FeatureSpec f : config.features().values()) {
            b.query(f.name(), f.query());
        }
        if (vm.username() != null) {
            b.auth(VictoriaMetricsAuth.basic(vm.username(), vm.passwordEnv() != null ? SecretRef.env(vm.passwordEnv())
                    : SecretRef.file(vm.passwordFile())));
        } else if (vm.tokenEnv() != null || vm.tokenFile() != null) {
            b.auth(VictoriaMetricsAuth.bearer(vm.tokenEnv() != null ? SecretRef.env(vm.tokenEnv())
                    : SecretRef.file(vm.tokenFile())));
        }
        if (vm.caFile() != null) {
            b.tls(vm.caFile());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config section 'source.victoriametrics': " + e.getMessage(), e);
        }
    }
}
