package dev.anomaly.sources.rates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.records.Sample;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CounterRateFunctionTest {
    private static final Map<String, String> CPU0 = Map.of("cpu", "0", "mode", "user");
    private static final Map<String, String> CPU1 = Map.of("cpu", "1", "mode", "user");

    private static KeyedOneInputStreamOperatorTestHarness<String, Sample, Sample> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CounterRateFunction(Set.of("cpu"))), Sample::seriesId, Types.STRING);
    }

    private static Sample cpu(Map<String, String> labels, long ts, double v) {
        return Sample.of("cpu", "node_cpu_seconds_total", labels, ts, v);
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, Sample, Sample> h, Sample... samples)
            throws Exception {
        for (Sample s : samples) {
            h.processElement(s, s.timestampMs());
        }
    }

    @Test
    void ratePerSecondPerSeriesSkippingTheFirstReading() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, cpu(CPU0, 10_000, 100), cpu(CPU1, 10_000, 7), cpu(CPU0, 15_000, 102.5), cpu(CPU1, 20_000, 17),
                    cpu(CPU0, 17_500, 105));
            assertThat(h.extractOutputValues()).containsExactly(
                    cpu(CPU0, 15_000, 0.5), cpu(CPU1, 20_000, 1.0), cpu(CPU0, 17_500, 1.0));
        }
    }

    @Test
    void resetSkipsOneIntervalAndOutOfOrderIsDropped() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, cpu(CPU0, 0, 50), cpu(CPU0, 5_000, 60), // 2/s
                    cpu(CPU0, 5_000, 61), cpu(CPU0, 4_000, 59), // duplicate time and out of order: dropped
                    cpu(CPU0, 10_000, 3), // reset: nothing
                    cpu(CPU0, 15_000, 13)); // 2/s from the reset value
            assertThat(h.extractOutputValues()).containsExactly(cpu(CPU0, 5_000, 2.0), cpu(CPU0, 15_000, 2.0));
        }
    }

    @Test
    void nonFiniteCounterGivesNaNAndKeepsTheLastGoodReading() throws Exception {
        try (var h = harness()) {
            h.open();
            feed(h, cpu(CPU0, 0, 10), cpu(CPU0, 5_000, Double.NaN), cpu(CPU0, 10_000, 30));
            List<Sample> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(0).value()).isNaN();
            assertThat(out.get(0).timestampMs()).isEqualTo(5_000);
            assertThat(out.get(1)).isEqualTo(cpu(CPU0, 10_000, 2.0)); // (30 - 10) / 10 s
        }
    }

    @Test
    void gaugesPassUnchanged() throws Exception {
        try (var h = harness()) {
            h.open();
            Sample load = Sample.of("load", "node_load1", Map.of(), 1, 0.7);
            feed(h, load, load);
            assertThat(h.extractOutputValues()).containsExactly(load, load);
        }
    }

    @Test
    void lastReadingSurvivesARestoreFromASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            feed(h, cpu(CPU0, 0, 10), cpu(CPU0, 5_000, 20));
            snapshot = h.snapshot(1, 6_000);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            feed(restored, cpu(CPU0, 10_000, 45));
            assertThat(restored.extractOutputValues()).containsExactly(cpu(CPU0, 10_000, 5.0)); // (45 - 20) / 5 s
        }
    }
}
