package dev.anomaly.job.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The reliability defaults of a cluster run fill only what neither the job nor the visible Flink config sets. */
class FlinkSettingsTest {

    static Configuration flink(Map<String, String> entries) {
        Configuration c = new Configuration();
        entries.forEach(c::setString);
        return c;
    }

    @Test
    void aClusterConfigurationWithoutReliabilitySettingsGetsCheckpointsRocksDbAndBackoffRestarts() {
        JobConfig job = ConfigLoader.load(null, List.of());
        Map<String, String> d = FlinkSettings.clusterDefaults(new Configuration(), job).toMap();
        assertThat(d).containsEntry("execution.checkpointing.interval", "30000 ms")
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("restart-strategy.type", "exponential-delay")
                .containsEntry("restart-strategy.exponential-delay.initial-backoff", "1 s")
                .containsEntry("restart-strategy.exponential-delay.max-backoff", "1 min");
    }

    @Test
    void whatTheClusterConfigurationSetsIsNeverOverridden() {
        JobConfig job = ConfigLoader.load(null, List.of());
        Configuration cluster = flink(Map.of("execution.checkpointing.interval", "10s", "state.backend.type",
                "hashmap", "restart-strategy.type", "fixed-delay"));
        assertThat(FlinkSettings.clusterDefaults(cluster, job).toMap()).isEmpty();
        // Only the incremental flag missing: RocksDB is not the job's choice then, the cluster's hashmap is kept.
        Configuration partly = flink(Map.of("state.backend.type", "rocksdb",
                "execution.checkpointing.incremental", "false"));
        assertThat(FlinkSettings.clusterDefaults(partly, job).toMap())
                .doesNotContainKeys("state.backend.type", "execution.checkpointing.incremental")
                .containsKeys("execution.checkpointing.interval", "restart-strategy.type");
    }

    @Test
    void whatTheJobConfigurationSetsIsNeverDefaulted() {
        JobConfig job = ConfigLoader.load(null, List.of("flink.checkpoint-interval=0", "flink.state-backend=hashmap",
                "flink.properties.restart-strategy\\.type=none"));
        assertThat(FlinkSettings.clusterDefaults(new Configuration(), job).toMap()).isEmpty();
        Map<String, String> jobLevel = FlinkSettings.jobLevel(job).toMap();
        // 0 = off: no interval at all (Flink refuses one under 10 ms), and none defaulted above
        assertThat(jobLevel).doesNotContainKey("execution.checkpointing.interval")
                .containsEntry("state.backend.type", "hashmap").containsEntry("restart-strategy.type", "none");
    }
}
