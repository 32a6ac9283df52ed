package dev.anomaly.sources.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostMetricsSourceBuilderTest {

    @Test
    void defaultsAreEveryFeatureEveryFiveSeconds() {
        HostMetricsSource source = HostMetricsSource.builder().build();
        assertThat(source.intervalMs()).isEqualTo(5000);
        assertThat(source.features()).isEqualTo(EnumSet.allOf(HostFeature.class));
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(source.getProducedType()).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void featuresByNameAndBadSettingsFailFast() {
        assertThat(HostMetricsSource.builder().features("cpu", " Memory ").build().features())
                .containsExactly(HostFeature.CPU, HostFeature.MEMORY);
        assertThatThrownBy(() -> HostMetricsSource.builder().features("cpu", "gpu"))
                .hasMessageContaining("'gpu'").hasMessageContaining("cpu, memory, load, disk, network");
        assertThatThrownBy(() -> HostMetricsSource.builder().features(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> HostMetricsSource.builder().interval(Duration.ZERO)).hasMessageContaining("interval");
        assertThatThrownBy(() -> HostMetricsSource.builder().instance(" ")).hasMessageContaining("instance");
    }

    @Test
    void hostnameComesFromTheProcRootFirst(@TempDir Path root) throws Exception {
        FakeProc fake = new FakeProc(root);
        assertThat(HostMetricsSource.hostname(fake.proc)).isEqualTo("fakehost");
        assertThat(HostMetricsSource.hostname(root.resolve("absent"))).isNotBlank();
    }

    @Test
    void serializersRoundTripAndRejectUnknownVersions() throws IOException {
        HostMetricsSplitSerializer split = HostMetricsSplitSerializer.INSTANCE;
        assertThat(split.deserialize(1, split.serialize(new HostMetricsSplit()))).isEqualTo(new HostMetricsSplit());
        assertThat(new HostMetricsSplit().splitId()).isEqualTo("host-metrics");
        assertThatThrownBy(() -> split.deserialize(2, new byte[0])).hasMessageContaining("version 2");
        HostMetricsEnumeratorStateSerializer state = HostMetricsEnumeratorStateSerializer.INSTANCE;
        for (boolean pending : new boolean[] {true, false}) {
            HostMetricsEnumeratorState s = new HostMetricsEnumeratorState(pending);
            assertThat(state.deserialize(state.getVersion(), state.serialize(s))).isEqualTo(s);
        }
        assertThatThrownBy(() -> state.deserialize(1, new byte[] {7})).isInstanceOf(IOException.class);
    }
}
