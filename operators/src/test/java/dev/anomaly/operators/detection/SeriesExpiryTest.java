package dev.anomaly.operators.detection;

import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.STEP;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.junit.jupiter.api.Test;

/**
 * The series TTL ({@code scoring.series-ttl}) in the operator harness: processing time is driven by the test, so
 * the moment a series' state is dropped is checked to the millisecond.
 */
class SeriesExpiryTest {
    static final long TTL = 60_000;

    static DetectionSettings settings(long ttl) {
        return new DetectionSettings(DetectorMode.SARIMA, SeriesDetectionFunctionTest.SMALL, null, Map.of(), STEP, 16, 0,
                5, 3, 100, true, ttl);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, dev.anomaly.models.records.Sample, DetectionResult> harness(
            long ttl) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SeriesDetectionFunction(settings(ttl))),
                dev.anomaly.models.records.Sample::seriesId, Types.STRING);
    }

    static List<DetectionResult> of(List<DetectionResult> out, String instance) {
        return out.stream().filter(r -> r.labels().get("instance").equals(instance)).toList();
    }

    /**
     * Series a and b send one sample per second of processing time (event time = the step) up to step 40; then a
     * stops and b goes on. a's state must exist until 40 s + TTL and be gone at that moment; b's never goes.
     */
    @Test
    void anIdleSeriesIsForgottenExactlyOneTtlAfterItsLastSampleAndAnActiveOneIsKept() throws Exception {
        double[] y = SeriesDetectionFunctionTest.series(200, 5);
        try (var h = harness(TTL)) {
            h.open();
            for (int t = 0; t < 200; t++) {
                h.setProcessingTime(t * 1000L);
                if (t <= 40) {
                    h.processElement(sample("a", t, y[t]), t * STEP);
                }
                h.processElement(sample("b", t, y[t] * 2), t * STEP);
                h.processWatermark(t * STEP);
                if (t * 1000L == 40_000 + TTL - 1000) {
                    assertThat(h.numKeyedStateEntries()).as("a is still kept just before its TTL").isEqualTo(2);
                }
                if (t * 1000L == 40_000 + TTL) {
                    assertThat(h.numKeyedStateEntries()).as("a is dropped at its TTL, b kept").isEqualTo(1);
                }
            }
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numProcessingTimeTimers()).as("one expiry timer per live series").isEqualTo(1);
            List<DetectionResult> out = h.extractOutputValues();
            assertThat(of(out, "a")).hasSize(41);
            assertThat(of(out, "b")).hasSize(200);
            assertThat(of(out, "b").get(199).modelState()).isEqualTo(ModelState.SELF_TRAINED);

            // a comes back: it starts afresh (warming up), its old last timestamp forgotten.
            h.setProcessingTime(300_000);
            h.processElement(sample("a", 10, y[10]), 10 * STEP);
            h.processWatermark(Long.MAX_VALUE);
            List<DetectionResult> back = of(h.extractOutputValues(), "a");
            assertThat(back).hasSize(42);
            assertThat(back.get(41).timestampMs()).isEqualTo(10 * STEP);
            assertThat(back.get(41).modelState()).isEqualTo(ModelState.WARMING_UP);
        }
    }

    /** The gauges of a forgotten series leave the reporters (a registry that sees every (un)registration). */
    @Test
    void aForgottenSeriesTakesItsGaugesWithIt() throws Exception {
        Set<String> registered = new TreeSet<>();
        TestingMetricRegistry registry = TestingMetricRegistry.builder()
                .setRegisterConsumer((metric, name, group) -> registered.add(group.getMetricIdentifier(name)))
                .setUnregisterConsumer((metric, name, group) -> registered.remove(group.getMetricIdentifier(name)))
                .build();
        TaskMetricGroup task = TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "localhost",
                ResourceID.generate()).addJob(new JobID(), "job").addTask(ExecutionAttemptID.randomId(), "detect");
        MockEnvironment env = new MockEnvironmentBuilder().setMetricGroup(task).build();
        double[] y = SeriesDetectionFunctionTest.series(100, 7);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SeriesDetectionFunction(settings(TTL))),
                dev.anomaly.models.records.Sample::seriesId, Types.STRING, env)) {
            h.open();
            for (int t = 0; t < 100; t++) {
                h.setProcessingTime(t * 1000L);
                if (t <= 20) {
                    h.processElement(sample("a", t, y[t]), t * STEP);
                }
                h.processElement(sample("b", t, y[t]), t * STEP);
                h.processWatermark(t * STEP);
                if (t == 20) {
                    assertThat(gaugedInstances(registered)).containsExactly("a", "b");
                }
            }
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(gaugedInstances(registered)).as("after a's TTL").containsExactly("b");
            assertThat(registered).anyMatch(k -> k.endsWith(".series_expired"));
        }
    }

    /** The instances whose per-series gauges are registered (identifier ...instance.<i>.series.<id>.<gauge>). */
    private static List<String> gaugedInstances(Set<String> registered) {
        return registered.stream().filter(k -> k.contains(".series."))
                .map(k -> k.replaceAll(".*\\.instance\\.([^.]+)\\.series\\..*", "$1")).distinct().sorted().toList();
    }

    /** The TTL changes nothing for a series that keeps sending: the same outputs as with no TTL at all. */
    @Test
    void aSeriesThatKeepsSendingHasExactlyTheOutputsOfARunWithoutTtl() throws Exception {
        double[] y = SeriesDetectionFunctionTest.series(150, 6);
        List<List<DetectionResult>> runs = new ArrayList<>();
        for (long ttl : new long[] {0, 5_000}) {
            try (var h = harness(ttl)) {
                h.open();
                for (int t = 0; t < 150; t++) {
                    h.setProcessingTime(t * 4000L); // samples 4 s apart, TTL 5 s: never idle long enough
                    h.processElement(sample("a", t, y[t]), t * STEP);
                    h.processWatermark((t - 1) * STEP);
                }
                h.processWatermark(Long.MAX_VALUE);
                assertThat(h.numKeyedStateEntries()).isEqualTo(1);
                runs.add(h.extractOutputValues());
            }
        }
        assertThat(runs.get(0)).hasSize(150);
        assertThat(runs.get(1)).containsExactlyElementsOf(runs.get(0));
    }

    /** Samples waiting for the watermark when the TTL expires are processed, not lost. */
    @Test
    void samplesStillWaitingForTheWatermarkAreProcessedBeforeTheSeriesIsForgotten() throws Exception {
        try (var h = harness(TTL)) {
            h.open();
            h.setProcessingTime(0);
            for (int t = 0; t < 5; t++) {
                h.processElement(sample("a", t, 1.0 + t), t * STEP);
            }
            h.processWatermark(1 * STEP); // 0 and 1 processed, 2..4 pending
            assertThat(h.extractOutputValues()).hasSize(2);
            h.setProcessingTime(TTL);
            assertThat(h.extractOutputValues()).extracting(DetectionResult::timestampMs)
                    .containsExactly(0L, 1000L, 2000L, 3000L, 4000L);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).as("the processed samples' timers go with them").isZero();
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).hasSize(5);
        }
    }

    /**
     * The job operator ({@link SeriesDetectionOperator}) restored after a downtime longer than the TTL: the downtime
     * is not the series' silence. Its overdue expiry timer fires at the restore and finds the series silent since
     * before the subtask started, so the series is kept one TTL from the restore; one that sends again is kept on, one
     * that does not is forgotten then.
     */
    @Test
    void aDowntimeLongerThanTheTtlDoesNotForgetTheSeriesOnRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = operatorHarness()) {
            h.open();
            h.setProcessingTime(10_000);
            h.processElement(sample("a", 1, 1.0), STEP);
            h.processElement(sample("b", 1, 5.0), STEP);
            snapshot = h.snapshot(1, 10_000);
        }
        long restoredAt = 10_000 + 3 * TTL; // down for three TTLs
        try (var h = operatorHarness()) {
            h.setup();
            h.setProcessingTime(restoredAt); // the clock at the restore, before any timer is restored
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(restoredAt + 1); // the overdue expiry timers fire
            assertThat(h.numKeyedStateEntries()).as("both series kept at the restore").isEqualTo(2);
            h.setProcessingTime(restoredAt + 1_000);
            h.processElement(sample("b", 2, 5.5), 2 * STEP); // b sends again, a stays silent
            h.setProcessingTime(restoredAt + TTL - 1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            h.setProcessingTime(restoredAt + TTL);
            assertThat(h.numKeyedStateEntries()).as("a forgotten one TTL after the restore, b kept").isEqualTo(1);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(of(h.extractOutputValues(), "b")).extracting(DetectionResult::timestampMs).contains(2 * STEP);
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, dev.anomaly.models.records.Sample, DetectionResult>
            operatorHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new SeriesDetectionOperator(new SeriesDetectionFunction(settings(TTL)), InferenceBatching.NONE),
                dev.anomaly.models.records.Sample::seriesId, Types.STRING);
    }

    /** The expiry timer and the last-seen time survive a snapshot: a restored idle series still expires on time. */
    @Test
    void theExpiryIsKeptAcrossSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(TTL)) {
            h.open();
            h.setProcessingTime(10_000);
            h.processElement(sample("a", 1, 1.0), STEP);
            h.setProcessingTime(30_000);
            h.processElement(sample("a", 2, 2.0), 2 * STEP);
            snapshot = h.snapshot(1, 30_000);
        }
        try (var h = harness(TTL)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(30_000 + TTL - 1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.setProcessingTime(30_000 + TTL);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
        // Restored with a shorter TTL: the next sample moves the timer earlier.
        try (var h = harness(10_000)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(35_000);
            h.processElement(sample("a", 3, 3.0), 3 * STEP);
            h.setProcessingTime(45_000 - 1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.setProcessingTime(45_000);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
