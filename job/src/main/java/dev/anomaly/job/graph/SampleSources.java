package dev.anomaly.job.graph;

import dev.anomaly.job.config.ConfigException;
import dev.anomaly.job.config.FeatureSpec;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.job.config.SourceSettings;
import dev.anomaly.models.records.Sample;
import dev.anomaly.sources.victoriametrics.SecretRef;
import dev.anomaly.sources.victoriametrics.VictoriaMetricsAuth;
import dev.anomaly.sources.victoriametrics.VictoriaMetricsSource;
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
            default -> throw new ConfigException("source.type " + config.source().type() + " is not wired in yet");
        };
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
