package dev.anomaly.sources.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class ReplaySerializersTest {

    private final ReplayFileSplit fresh = ReplayFileSplit.unread(3, Path.of("/data/ec2 cpu.csv"), "cpu",
            Map.of("file", "ec2 cpu", "host", "\u00e9t\u00e9\"x"));
    private final ReplayFileSplit progressed = fresh.withProgress(4_000_000_123L, -1_234_567_890_123L);

    @Test
    void splitsRoundTrip() throws IOException {
        ReplayFileSplitSerializer s = ReplayFileSplitSerializer.INSTANCE;
        for (ReplayFileSplit split : List.of(fresh, progressed, fresh.withProgress(5, 0L))) {
            ReplayFileSplit back = s.deserialize(s.getVersion(), s.serialize(split));
            assertThat(back).isEqualTo(split);
            assertThat(back.splitId()).isEqualTo("3:/data/ec2 cpu.csv");
        }
        assertThat(s.deserialize(1, s.serialize(fresh)).shiftMs()).isNull();
        assertThat(s.deserialize(1, s.serialize(progressed)).linesConsumed()).isEqualTo(4_000_000_123L);
    }

    @Test
    void enumeratorStateRoundTrips() throws IOException {
        ReplayEnumeratorStateSerializer s = ReplayEnumeratorStateSerializer.INSTANCE;
        ReplayEnumeratorState state = new ReplayEnumeratorState(List.of(fresh, progressed,
                new ReplayFileSplit(0, "a.csv", "f", new TreeMap<>(), 0, null)));
        assertThat(s.deserialize(s.getVersion(), s.serialize(state))).isEqualTo(state);
        ReplayEnumeratorState empty = new ReplayEnumeratorState(List.of());
        assertThat(s.deserialize(s.getVersion(), s.serialize(empty))).isEqualTo(empty);
    }

    @Test
    void unknownVersionsAndTrailingBytesAreRejected() throws IOException {
        ReplayFileSplitSerializer s = ReplayFileSplitSerializer.INSTANCE;
        byte[] bytes = s.serialize(fresh);
        assertThatThrownBy(() -> s.deserialize(2, bytes)).hasMessageContaining("version 2");
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> s.deserialize(1, longer)).hasMessageContaining("trailing");
        assertThatThrownBy(() -> ReplayEnumeratorStateSerializer.INSTANCE.deserialize(7, new byte[4]))
                .hasMessageContaining("version 7");
    }
}
