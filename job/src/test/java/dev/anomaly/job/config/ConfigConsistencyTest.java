package dev.anomaly.job.config;

import dev.anomaly.job.graph.FlinkSettings;
import dev.anomaly.operators.sinks.VictoriaMetricsSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Configurations that each key accepts alone but that cannot work, or that say something other than the job would
 * do: each fails at load, naming the keys and the fix.
 */
class ConfigConsistencyTest {

    private static JobConfig load(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    @Test
    void aDurationWithoutAUnitIsRefusedExceptZero() {
        // Flink reads 60000 as milliseconds, a human as seconds; this file used to read it as 16.7 hours
        assertThatThrownBy(() -> load("flink.checkpoint-interval=60000"))
                .hasMessage("config key 'flink.checkpoint-interval' needs a unit (ms, s, m, h or d), got 60000: write"
                        + " e.g. 60000s or 60000ms");
        assertThatThrownBy(() -> load("inference.max-delay=100")).hasMessageContaining("'inference.max-delay' needs a"
                + " unit");
        assertThat(load("scoring.series-ttl=0").detection().seriesTtlMs()).isZero();
        assertThat(load("fetch-interval=1.5s").fetchInterval()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aKeyGivenTwiceOrASecondDocumentIsRefused(@TempDir Path dir) throws Exception {
        Path twice = dir.resolve("twice.yaml");
        Files.writeString(twice, """
                flink:
                  checkpoint-interval: 10s
                seq-len: 30
                flink:
                  parallelism: 4
                """);
        assertThatThrownBy(() -> ConfigLoader.load(twice, List.of()))
                .hasMessage("config file " + twice + " gives a key twice ('flink' at the same level): merge the two"
                        + " into one");
        Path documents = dir.resolve("documents.yaml");
        Files.writeString(documents, """
                seq-len: 30
                ---
                seq-len: 60
                bogus: 1
                """);
        assertThatThrownBy(() -> ConfigLoader.load(documents, List.of()))
                .hasMessage("config file " + documents + " holds more than one YAML document (a '---' line): put"
                        + " every key in one document");
        Path once = dir.resolve("once.yaml");
        Files.writeString(once, "---\nflink:\n  checkpoint-interval: 10s\n  parallelism: 4\n");
        assertThat(ConfigLoader.load(once, List.of()).runtime().parallelism()).isEqualTo(4);
    }

    @Test
    void theVictoriaMetricsStepIsTheFetchInterval() {
        String[] vm = {"source.type=victoriametrics", "features.cpu.query=up"};
        assertThat(load(vm[0], vm[1], "fetch-interval=15s").source().victoriaMetrics().step())
                .as("unset: the fetch interval").isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> load(vm[0], vm[1], "source.victoriametrics.step=1m"))
                .hasMessage("config key 'source.victoriametrics.step' (60000ms) must equal fetch-interval (5000ms),"
                        + " the spacing the detector expects: set fetch-interval to the scrape interval and leave step"
                        + " unset");
        assertThatCode(() -> load("source.victoriametrics.step=1m")).as("another source: not used")
                .doesNotThrowAnyException();
    }

    @Test
    void seqLenMustLeaveTheTrainingItsValues() {
        assertThatThrownBy(() -> load("seq-len=2000"))
                .hasMessage("config keys 'seq-len' (2000) and 'scoring.max-training-points' (4000) do not fit: the"
                        + " hybrid training needs 4020 values (2 x seq-len + 20) and keeps at most"
                        + " max-training-points; raise scoring.max-training-points to at least 4020 or lower seq-len"
                        + " to at most 1990");
        assertThatThrownBy(() -> load("mode=lstm", "seq-len=60", "scoring.max-training-points=100"))
                .hasMessageContaining("the lstm training needs 140 values");
        assertThatCode(() -> load("seq-len=1990")).doesNotThrowAnyException();
        assertThatCode(() -> load("mode=sarima", "seq-len=2000")).as("no LSTM to train").doesNotThrowAnyException();
    }

    @Test
    void aCheckpointIntervalIsZeroForOffOrAtLeastFlinksMinimum() throws Exception {
        assertThatThrownBy(() -> load("flink.checkpoint-interval=5ms"))
                .hasMessage("config key 'flink.checkpoint-interval' must be 0 (no checkpoints) or at least 10ms"
                        + " (Flink's minimum), got 5ms");
        JobConfig off = load("flink.checkpoint-interval=0");
        // the environment the job is built in accepts it, with checkpointing off
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.jobLevel(off));
        assertThat(env.getCheckpointConfig().isCheckpointingEnabled()).isFalse();
        StreamExecutionEnvironment on = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.jobLevel(load("flink.checkpoint-interval=10ms")));
        assertThat(on.getCheckpointConfig().getCheckpointInterval()).isEqualTo(10);
    }

    @Test
    void aThresholdMustNameAFeatureOfTheJob() {
        assertThatThrownBy(() -> load("thresholds.cpu_usage=2.5"))
                .hasMessage("config key 'thresholds.cpu_usage' names no feature of this job: the features are cpu,"
                        + " memory, load, disk, network");
        assertThat(load("thresholds.cpu=2.5").detection().thresholds()).containsEntry("cpu", 2.5);
        assertThatThrownBy(() -> load("source.type=victoriametrics", "features.net.query=up", "thresholds.cpu=2"))
                .hasMessageContaining("the features are net");
        String csv = ConfigConsistencyTest.class.getResource("/").getPath();
        assertThat(load("source.type=replay", "source.replay.path=" + csv, "source.replay.feature=rps",
                "thresholds.rps=4").detection().thresholds()).containsEntry("rps", 4.0);
        assertThatThrownBy(() -> load("source.type=replay", "source.replay.path=" + csv, "thresholds.rps=4"))
                .hasMessageContaining("the features are value");
    }

    @Test
    void theReporterPortIsAPortOrARangeFromLowToHigh() {
        assertThatThrownBy(() -> load("metrics.reporter-port=99999"))
                .hasMessageContaining("config key 'metrics.reporter-port' must be a port (0-65535, 0 = any free one)");
        assertThatThrownBy(() -> load("metrics.reporter-port=9260-9250"))
                .hasMessageContaining("got '9260-9250'");
        assertThat(load("metrics.reporter-port=9250-9260").runtime().reporterPort()).isEqualTo("9250-9260");
        assertThat(load("metrics.reporter-port=0").runtime().reporterPort()).isEqualTo("0");
    }

    /**
     * Exactly-once Kafka commits on checkpoints: checkpoints off is refused, and so is an interval plus checkpoint
     * timeout that reaches the transaction timeout (the transaction could expire before its commit and its results
     * be lost). At-least-once, or the sink off, is not checked.
     */
    @Test
    void exactlyOnceKafkaNeedsCheckpointsThatCommitWithinTheTransactionTimeout() {
        assertThatThrownBy(() -> load("sinks.kafka.enabled=true", "flink.checkpoint-interval=0"))
                .hasMessageStartingWith("config key 'flink.checkpoint-interval' is 0 (no checkpoints), but"
                        + " 'sinks.kafka.delivery' is exactly-once");
        assertThatCode(() -> load("sinks.kafka.enabled=true", "sinks.kafka.delivery=at-least-once",
                "flink.checkpoint-interval=0")).doesNotThrowAnyException();
        assertThatCode(() -> load("flink.checkpoint-interval=0")).as("no Kafka sink").doesNotThrowAnyException();
        assertThatCode(() -> load("sinks.kafka.enabled=true")).as("the defaults: 30 s + 10 min < 15 min")
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> load("sinks.kafka.enabled=true", "flink.checkpoint-interval=5m"))
                .hasMessageStartingWith("config keys 'flink.checkpoint-interval' (300000ms) and"
                        + " 'flink.properties.execution.checkpointing.timeout' (600000ms) together reach the Kafka"
                        + " transaction timeout");
        assertThatCode(() -> load("sinks.kafka.enabled=true", "flink.checkpoint-interval=5m",
                "flink.properties.execution\\.checkpointing\\.timeout=4 min")).doesNotThrowAnyException();
        assertThatThrownBy(() -> load("sinks.kafka.enabled=true",
                "sinks.kafka.properties.transaction\\.timeout\\.ms=300000"))
                .hasMessageContaining("(30000ms, the default)").hasMessageContaining("300000ms");
        assertThatThrownBy(() -> load("sinks.kafka.enabled=true",
                "sinks.kafka.properties.transaction\\.timeout\\.ms=soon"))
                .hasMessageContaining("'sinks.kafka.properties.transaction.timeout.ms' must be a number");
    }

    /** An embedded run with checkpoint-interval 0 runs without checkpoints, as the key says. */
    @Test
    void anEmbeddedRunWithCheckpointIntervalZeroHasNoCheckpoints() {
        StreamExecutionEnvironment off = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.embedded(load("flink.checkpoint-interval=0")));
        assertThat(off.getCheckpointConfig().isCheckpointingEnabled()).isFalse();
        StreamExecutionEnvironment unset = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.embedded(load()));
        assertThat(unset.getCheckpointConfig().getCheckpointInterval()).isEqualTo(30_000);
    }

    /** The write-back URL is checked when the configuration loads, not at the first write; batches are bounded. */
    @Test
    void theVictoriaMetricsWriteBackUrlIsAnHttpUrlAndBatchesAreBounded() {
        for (String bad : List.of("localhost:8428", "127.0.0.1:8428", "ftp://vm:8428", "http://", "http://vm:8428/?x=1")) {
            assertThatThrownBy(() -> load("sinks.victoriametrics.url=" + bad)).as(bad)
                    .hasMessageStartingWith("config key 'sinks.victoriametrics.url' must be an http(s) URL");
        }
        assertThat(load("sinks.victoriametrics.url=https://vm.example:8428/insert/0/prometheus").sinks()
                .victoriaMetrics().url()).isEqualTo("https://vm.example:8428/insert/0/prometheus");
        assertThatThrownBy(() -> load("sinks.victoriametrics.batch-lines=10000000"))
                .hasMessageContaining("'sinks.victoriametrics.batch-lines' must be an integer in 1..100000");
        assertThat(load().sinks().victoriaMetrics().onFailure()).as("the default")
                .isEqualTo(VictoriaMetricsSink.OnFailure.DROP);
        assertThat(load("sinks.victoriametrics.on-failure=restart").sinks().victoriaMetrics().onFailure())
                .isEqualTo(VictoriaMetricsSink.OnFailure.RESTART);
        assertThatThrownBy(() -> load("sinks.victoriametrics.on-failure=retry"))
                .hasMessageContaining("sinks.victoriametrics.on-failure");
    }

    /** A Kafka feature's metric and label names are Prometheus names, checked with the configuration. */
    @Test
    void kafkaFeatureNamesArePrometheusNames() {
        assertThatThrownBy(() -> load("source.type=kafka", "features.cpu.metric=node-cpu"))
                .hasMessageStartingWith("config key 'features.cpu.metric' must be a Prometheus metric name");
        assertThatThrownBy(() -> load("source.type=kafka", "features.cpu.metric=node_cpu_seconds_total",
                "features.cpu.match.mode-x=idle"))
                .hasMessageStartingWith("config key 'features.cpu.match.mode-x' must name a Prometheus label");
        assertThatCode(() -> load("source.type=kafka", "features.cpu.metric=node_cpu_seconds_total",
                "features.cpu.match.mode=idle")).doesNotThrowAnyException();
    }
}
