package dev.anomaly.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anomaly.models.detection.DetectorMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void defaultsAreTheEmbeddedRun() {
        JobConfig c = ConfigLoader.load(null, List.of());
        assertThat(c.fetchInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.source().type()).isEqualTo(SourceSettings.Type.HOST);
        assertThat(c.detection().mode()).isEqualTo(DetectorMode.HYBRID);
        assertThat(c.detection().hybrid().seqLen()).isEqualTo(30);
        assertThat(c.detection().modelPath()).isNull();
        assertThat(c.device()).isEqualTo(Device.AUTO);
        assertThat(c.runtime().webUiPort()).isEqualTo(8081);
        assertThat(c.runtime().reporterPort()).isEqualTo("9249");
        assertThat(c.sinks().log().enabled()).isTrue();
        assertThat(c.sinks().kafka().enabled()).isFalse();
        assertThat(c.detection().seriesTtlMs()).isEqualTo(Duration.ofDays(7).toMillis());
    }

    @Test
    void seriesTtlIsADurationZeroOrAtLeastTwoFetchIntervals() {
        assertThat(ConfigLoader.load(null, List.of("scoring.series-ttl=36h")).detection().seriesTtlMs())
                .isEqualTo(Duration.ofHours(36).toMillis());
        assertThat(ConfigLoader.load(null, List.of("scoring.series-ttl=0")).detection().seriesTtlMs()).isZero();
        assertThat(ConfigLoader.load(null, List.of("fetch-interval=1m", "scoring.series-ttl=2m")).detection()
                .seriesTtlMs()).isEqualTo(120_000L);
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("fetch-interval=1m", "scoring.series-ttl=90s")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'scoring.series-ttl' must be 0 (never forget a series) or at least twice"
                        + " fetch-interval (120000ms), got 90000ms");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("scoring.series-ttl=-1d")))
                .hasMessageContaining("config key 'scoring.series-ttl' must be a duration");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("scoring.series-ttl=forever")))
                .hasMessageContaining("config key 'scoring.series-ttl' must be a duration");
    }

    @Test
    void selfTrainingsRunInTheBackgroundWithALagAndAPoolSize() {
        JobConfig d = ConfigLoader.load(null, List.of());
        assertThat(d.detection().trainingLagSamples()).isEqualTo(10);
        assertThat(d.detection().trainingThreads()).isEqualTo(1);
        JobConfig c = ConfigLoader.load(null, List.of("warmup.training-lag-samples=0", "warmup.training-threads=4"));
        assertThat(c.detection().trainingLagSamples()).isZero();
        assertThat(c.detection().trainingThreads()).isEqualTo(4);
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("warmup.training-threads=0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'warmup.training-threads'");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("warmup.training-lag-samples=-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'warmup.training-lag-samples'");
    }

    @Test
    void reestimationRunsUntilTheLongestTrainingHistoryUnlessSetWithinIt() {
        assertThat(ConfigLoader.load(null, List.of()).detection().reestimateUntil()).isEqualTo(4000);
        assertThat(ConfigLoader.load(null, List.of("scoring.max-training-points=2000")).detection()
                .reestimateUntil()).isEqualTo(2000);
        assertThat(ConfigLoader.load(null, List.of("warmup.reestimate-until=0")).detection().reestimation()
                .enabled()).isFalse();
        JobConfig c = ConfigLoader.load(null, List.of("warmup.reestimate-until=1000"));
        assertThat(c.detection().reestimation().after(120)).isEqualTo(240);
        assertThat(c.detection().reestimation().after(960)).isZero();
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("warmup.reestimate-until=-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'warmup.reestimate-until'");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("warmup.reestimate-until=8000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("warmup.reestimate-until")
                .hasMessageContaining("scoring.max-training-points (4000)");
        assertThat(ConfigLoader.load(null, List.of("warmup.reestimate-until=8000",
                "scoring.max-training-points=8000")).detection().reestimateUntil()).isEqualTo(8000);
    }

    @Test
    void fileAndOverridesMapToTypedSettings(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, """
                fetch-interval: 15s
                seq-len: 60
                mode: sarima
                thresholds: {cpu: 2.5}
                features:
                  cpu: {query: 'rate(node_cpu_seconds_total[1m])', kind: counter}
                source:
                  type: victoriametrics
                  victoriametrics: {url: 'http://127.0.0.1:18428', look-back: 2h, password-env: VM_PASSWORD}
                sinks:
                  kafka: {enabled: true, topic: events, delivery: at-least-once}
                """);
        JobConfig c = ConfigLoader.load(f, List.of("seq-len=45", "scoring.forecast-horizon=3", "flink.parallelism=2"));
        assertThat(c.fetchInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.detection().hybrid().seqLen()).isEqualTo(45);
        assertThat(c.detection().forecastHorizon()).isEqualTo(3);
        assertThat(c.detection().intervalMs()).isEqualTo(15_000);
        assertThat(c.detection().thresholds()).containsEntry("cpu", 2.5);
        assertThat(c.features().get("cpu").kind()).isEqualTo(FeatureSpec.Kind.COUNTER);
        assertThat(c.source().victoriaMetrics().lookBack()).isEqualTo(Duration.ofHours(2));
        assertThat(c.source().victoriaMetrics().passwordEnv()).isEqualTo("VM_PASSWORD");
        assertThat(c.sinks().kafka().delivery()).isEqualTo(SinkSettings.Kafka.Delivery.AT_LEAST_ONCE);
        assertThat(c.runtime().parallelism()).isEqualTo(2);
    }

    @Test
    void unknownKeysFailNamingTheKeyAndWhatIsAllowed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("scoring.horizon=3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown config key 'scoring.horizon'")
                .hasMessageContaining("forecast-horizon");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("fetch_interval=5s")))
                .hasMessageContaining("unknown config key 'fetch_interval'").hasMessageContaining("fetch-interval");
    }

    @Test
    void integersBeyondTheirTypeFailInsteadOfOverflowing() {
        // found by ConfigFuzzTest: a 20-digit seed escaped as NumberFormatException
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lstm.seed=99999999999999999999")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config key 'lstm.seed' must be an integer in");
        // 2^64 + 5 must not wrap around to 5
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("seq-len=18446744073709551621")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'seq-len' must be an integer in 2..10000, got 18446744073709551621");
        assertThat(ConfigLoader.load(null, List.of("lstm.seed=-9223372036854775808")).detection().hybrid().seed())
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void orderingIsByWatermarkUnlessArrivalIsChosen() {
        assertThat(ConfigLoader.load(null, List.of()).detection().scoreOnArrival()).isFalse();
        assertThat(ConfigLoader.load(null, List.of("scoring.ordering=arrival")).detection().scoreOnArrival()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("scoring.ordering=fifo")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'scoring.ordering' must be one of watermark, arrival, got 'fifo'");
    }

    @Test
    void inferenceIsUnbatchedUnlessABatchSizeIsSet() {
        JobConfig defaults = ConfigLoader.load(null, List.of());
        assertThat(defaults.inference().batchSize()).isEqualTo(1);
        assertThat(defaults.inference().enabled()).isFalse();
        assertThat(defaults.inference().maxDelayMs()).isEqualTo(100);
        JobConfig batched = ConfigLoader.load(null, List.of("inference.batch-size=64", "inference.max-delay=20ms"));
        assertThat(batched.inference().batchSize()).isEqualTo(64);
        assertThat(batched.inference().maxDelayMs()).isEqualTo(20);
        assertThat(ConfigLoader.load(null, List.of("inference.batch-size=1")).inference().enabled()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("inference.batch-size=0")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'inference.batch-size' must be an integer in 1..65536, got 0");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("inference.max-delay=0ms")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config key 'inference.max-delay'");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("inference.batchsize=8")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inference.batchsize");
    }

    @Test
    void pathsTheFileSystemCannotNameFailNamingTheKey() {
        // found by ConfigFuzzTest: a NUL in model-path used to escape as java.nio.file.InvalidPathException
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model-path=a\u0000b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config key 'model-path' must be a file path");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("source.host.proc-root=\u0000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config key 'source.host.proc-root' must be a file path");
    }

    @Test
    void badValuesFailNamingTheKeyAndTheAllowedValues() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("seq-len=one")))
                .hasMessage("config key 'seq-len' must be an integer in 2..10000, got 'one'");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("device=tpu")))
                .hasMessage("config key 'device' must be one of cpu, cuda, auto, got 'tpu'");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("fetch-interval=99999999999999999999d")))
                .hasMessage("config key 'fetch-interval' must be at most 3650d, got 99999999999999999999d");
        assertThat(ConfigLoader.load(null, List.of("fetch-interval=40000000ms")).fetchInterval().toMillis())
                .isEqualTo(40_000_000L);
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("fetch-interval=soon")))
                .hasMessageContaining("config key 'fetch-interval' must be a duration");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model-path=/nonexistent/model.zip")))
                .hasMessageContaining("config key 'model-path': /nonexistent/model.zip does not exist");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("source.type=kafka")))
                .hasMessageContaining("config key 'features' is required for source.type kafka");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("thresholds.cpu=-1")))
                .hasMessageContaining("config key 'thresholds.cpu' must be a number in (0.0, Infinity)");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("metrics.reporter-port=http")))
                .hasMessageContaining("metrics.reporter-port");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("nokey")))
                .hasMessageContaining("--set needs key=value");
    }

    @Test
    void secretsAreRedactedFromTheLoggedConfiguration() {
        JobConfig c = ConfigLoader.load(null, List.of(
                "source.kafka.properties.sasl\\.jaas\\.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"u\" password=\"hunter2\";",
                "sinks.kafka.properties.ssl\\.truststore\\.password=hunter3",
                "source.victoriametrics.password-env=VM_PASSWORD"));
        assertThat(c.redacted()).doesNotContain("hunter2").doesNotContain("hunter3").contains("*****")
                .contains("VM_PASSWORD");
    }
}
