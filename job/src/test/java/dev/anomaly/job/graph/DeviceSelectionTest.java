package dev.anomaly.job.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anomaly.job.cli.AnomalyCliRunner;
import dev.anomaly.job.config.ConfigException;
import dev.anomaly.job.config.Device;
import org.junit.jupiter.api.Test;

/** DEVICE on a machine without ND4J's CUDA backend (the default build): fallback and fail-fast. */
class DeviceSelectionTest {

    @Test
    void thisBuildHasNoCudaBackend() {
        assertThat(DeviceSelection.gpuProblem()).contains("no CUDA backend");
    }

    @Test
    void cpuAndAutoRunOnTheCpu() {
        assertThat(DeviceSelection.resolve(Device.CPU)).isEqualTo(Device.CPU);
        assertThat(DeviceSelection.resolve(Device.AUTO)).isEqualTo(Device.CPU);
    }

    @Test
    void cudaFailsFastNamingTheKeyAndTheFix() {
        assertThatThrownBy(() -> DeviceSelection.resolve(Device.CUDA)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("config key 'device' is cuda")
                .hasMessageContaining("-Pcuda")
                .hasMessageContaining("device: cpu or auto");
    }

    @Test
    void runWithDeviceCudaExitsWithOneLine() {
        AnomalyCliRunner.Result r = AnomalyCliRunner.run("run", "--set", "device=cuda", "--set",
                "flink.web-ui-port=0", "--set", "metrics.reporter-port=0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().strip().lines()).hasSize(1);
        assertThat(r.stderr()).contains("config key 'device' is cuda");
    }
}
