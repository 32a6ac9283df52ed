package dev.anomaly.operators.detection;

import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.STEP;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.LstmStateMode;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import dev.anomaly.models.records.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LSTM inference batched across series ({@link SeriesDetectionOperator} with {@link InferenceBatching}) changes
 * when results leave, never what they are: every test compares with the same input through the operator without
 * batching (each step at once, the path of the other operator tests).
 */
class SeriesDetectionOperatorTest {
    private static final int SERIES = 24;
    private static final int STEPS = 220;
    private static final HybridConfig CARRIED = SeriesDetectionFunctionTest.SMALL.withLstmState(LstmStateMode.CARRIED);

    @TempDir
    static Path dir;
    private static String modelPath;

    /** A model file for feature cpu; feature mem has none, so its series self-train (warm-up, sarima, hybrid). */
    @BeforeAll
    static void trainModel() throws Exception {
        double[] y = SeriesDetectionFunctionTest.series(300, 9);
        FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.HYBRID, CARRIED).keepingCorrection().fit(y);
        Path file = dir.resolve("model.zip");
        ModelFile.write(new TrainedModel(Map.of("cpu", model), Map.of("cpu", new TrainingRange("t", 300, "", "", 0))),
                file);
        modelPath = file.toString();
    }

    private static DetectionSettings settings(boolean onArrival) {
        return new DetectionSettings(DetectorMode.HYBRID, CARRIED, modelPath, Map.of(), STEP, 20, 60, 5, 3, 100, true,
                0, onArrival);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Sample, DetectionResult> harness(
            DetectionSettings s, InferenceBatching batching) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new SeriesDetectionOperator(new SeriesDetectionFunction(s), batching), Sample::seriesId, Types.STRING);
    }

    /** Series i: feature cpu (file model) for even i, mem (self-trained) for odd i; level and noise vary. */
    private static Sample sample(int series, long t, double v) {
        return Sample.of(series % 2 == 0 ? "cpu" : "mem", "m", Map.of("instance", "host-" + series), t * STEP, v);
    }

    private static final double[][] VALUES = new double[SERIES][];

    static {
        for (int i = 0; i < SERIES; i++) {
            VALUES[i] = SeriesDetectionFunctionTest.series(STEPS, 100 + i);
            if (i % 5 == 0) {
                VALUES[i][150] += 12; // a spike now and then, so some results are anomalies
            }
        }
    }

    /**
     * Steps [from, to) of every series, each series skipping a step now and then (gaps) and sending one sample in
     * ten a step late, after the next one (reordered by the watermark, which trails by two steps).
     */
    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, Sample, DetectionResult> h, int from,
                             int to) throws Exception {
        for (int t = from; t < to; t++) {
            for (int i = 0; i < SERIES; i++) {
                if (!late(i, t) && !skipped(i, t)) {
                    h.processElement(sample(i, t, VALUES[i][t]), t * STEP);
                }
                if (t >= 1 && late(i, t - 1) && !skipped(i, t - 1)) {
                    h.processElement(sample(i, t - 1, VALUES[i][t - 1]), (t - 1) * STEP);
                }
            }
            h.processWatermark((t - 2) * STEP);
        }
    }

    private static boolean late(int series, int t) {
        return (t * 7 + series * 3) % 10 == 0;
    }

    private static boolean skipped(int series, int t) {
        return (t * 13 + series) % 29 == 0;
    }

    /** Every series' step t, in order (for the on-arrival mode). */
    private static void feedInOrder(KeyedOneInputStreamOperatorTestHarness<String, Sample, DetectionResult> h, int t)
            throws Exception {
        for (int i = 0; i < SERIES; i++) {
            h.processElement(sample(i, t, VALUES[i][t]), t * STEP);
        }
    }

    /** The unbatched runs, computed once for all tests (the operator is deterministic). */
    private static List<DetectionResult> unbatchedCache;
    private static List<DetectionResult> unbatchedInOrderCache;

    private static List<DetectionResult> unbatched() throws Exception {
        if (unbatchedCache == null) {
            unbatchedCache = runUnbatched();
        }
        return unbatchedCache;
    }

    private static List<DetectionResult> runUnbatched() throws Exception {
        try (var h = harness(settings(false), InferenceBatching.NONE)) {
            h.open();
            feed(h, 0, STEPS);
            h.processWatermark(Long.MAX_VALUE);
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    /** Every series' steps in order, scored on arrival, without batching. */
    private static List<DetectionResult> unbatchedInOrder() throws Exception {
        if (unbatchedInOrderCache == null) {
            unbatchedInOrderCache = runUnbatchedInOrder();
        }
        return unbatchedInOrderCache;
    }

    private static List<DetectionResult> runUnbatchedInOrder() throws Exception {
        try (var h = harness(settings(true), InferenceBatching.NONE)) {
            h.open();
            for (int t = 0; t < STEPS; t++) {
                feedInOrder(h, t);
            }
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    /** The results of each series in their order of emission, as exact text. */
    private static Map<String, List<String>> bySeries(List<DetectionResult> results) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (DetectionResult r : results) {
            out.computeIfAbsent(r.seriesId(), k -> new ArrayList<>()).add(fields(r));
        }
        return out;
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {2, 7, 64, 4096})
    void batchedResultsEqualTheUnbatchedOnesAndNeverFollowTheirWatermark(int batchSize) throws Exception {
        List<DetectionResult> reference = unbatched();
        try (var h = harness(settings(false), new InferenceBatching(batchSize, 60_000))) {
            h.open();
            feed(h, 0, STEPS);
            h.processWatermark(Long.MAX_VALUE);
            List<DetectionResult> out = h.extractOutputValues();
            assertThat(out).hasSize(reference.size());
            assertThat(bySeries(out)).isEqualTo(bySeries(reference));
            long batched = ((SeriesDetectionOperator) h.getOperator()).batchedSteps();
            assertThat(batched).as("steps computed in batches").isGreaterThan(out.size() / 2);
            long watermark = Long.MIN_VALUE;
            for (Object e : h.getOutput()) {
                if (e instanceof Watermark w) {
                    watermark = w.getTimestamp();
                } else {
                    @SuppressWarnings("unchecked")
                    StreamRecord<DetectionResult> r = (StreamRecord<DetectionResult>) e;
                    assertThat(r.getTimestamp()).as("record time vs the watermark before it").isGreaterThan(watermark);
                }
            }
        }
        assertThat(reference.stream().filter(r -> r.modelState() == ModelState.TRAINED).count())
                .as("results of file-model series (batched from the start)").isGreaterThan(SERIES / 2 * 150);
        assertThat(reference.stream().filter(r -> r.modelState() == ModelState.SELF_TRAINED).count())
                .as("results of self-trained series (batched once their full model is trained)")
                .isGreaterThan(SERIES / 2 * 100);
        assertThat(reference).anyMatch(DetectionResult::anomaly);
    }

    @Test
    void onArrivalResultsWaitAtMostTheMaxDelay() throws Exception {
        List<DetectionResult> reference = unbatchedInOrder();
        try (var h = harness(settings(true), new InferenceBatching(10_000, 50))) {
            h.setProcessingTime(0);
            h.open();
            long now = 0;
            int held = 0;
            for (int t = 0; t < STEPS; t++) {
                feedInOrder(h, t);
                int out = h.extractOutputValues().size();
                if (out < (t + 1) * SERIES) {
                    held++;
                    h.setProcessingTime(now + 49);
                    assertThat(h.extractOutputValues()).as("49 ms later").hasSize(out);
                }
                h.setProcessingTime(now + 50);
                assertThat(h.extractOutputValues()).as("50 ms later: everything").hasSize((t + 1) * SERIES);
                now += 1000;
                h.setProcessingTime(now);
            }
            assertThat(held).as("steps whose results waited for their batch").isGreaterThan(STEPS / 2);
            assertThat(((SeriesDetectionOperator) h.getOperator()).batchedSteps()).isGreaterThan(STEPS * SERIES / 2);
            assertThat(bySeries(h.extractOutputValues())).isEqualTo(bySeries(reference));
        }
    }

    @ParameterizedTest(name = "rocksdb: {0}")
    @ValueSource(booleans = {false, true})
    void checkpointsTakenWithResultsWaitingLoseAndRepeatNothing(boolean rocksdb) throws Exception {
        List<DetectionResult> reference = unbatchedInOrder();
        // Scored on arrival with a batch of 16 and no max-delay in reach: 24 series per step leave results waiting
        // at every cut, which the barrier's pre-snapshot flush must emit before the state is snapshot.
        List<DetectionResult> resumed = new ArrayList<>();
        OperatorSubtaskState snapshot = null;
        int[] cuts = {0, 45, 121, 170, STEPS};
        int waitingAtCuts = 0;
        for (int i = 0; i + 1 < cuts.length; i++) {
            try (var h = harness(settings(true), new InferenceBatching(16, 3_600_000))) {
                if (rocksdb) {
                    h.setStateBackend(new EmbeddedRocksDBStateBackend());
                }
                h.setup();
                if (snapshot != null) {
                    h.initializeState(snapshot);
                }
                h.open();
                for (int t = cuts[i]; t < cuts[i + 1]; t++) {
                    feedInOrder(h, t);
                }
                int before = h.extractOutputValues().size();
                if (i + 2 == cuts.length) {
                    h.endInput();
                    h.getOperator().finish();
                } else {
                    // the task's order: the barrier's pre-snapshot step, then the snapshot
                    h.prepareSnapshotPreBarrier(i);
                    snapshot = h.snapshot(i, cuts[i + 1]);
                }
                waitingAtCuts += h.extractOutputValues().size() - before;
                resumed.addAll(h.extractOutputValues());
            }
        }
        assertThat(waitingAtCuts).as("results that were waiting at the cuts").isPositive();
        assertThat(resumed).hasSize(reference.size());
        assertThat(bySeries(resumed)).isEqualTo(bySeries(reference));
    }

    @Test
    void badSettingsNameTheKey() {
        assertThatThrownBy(() -> new InferenceBatching(0, 10)).hasMessageContaining("inference.batch-size");
        assertThatThrownBy(() -> new InferenceBatching(70_000, 10)).hasMessageContaining("inference.batch-size");
        assertThatThrownBy(() -> new InferenceBatching(64, 0)).hasMessageContaining("inference.max-delay");
        assertThat(new InferenceBatching(1, 0).enabled()).isFalse();
        assertThat(Arrays.asList(InferenceBatching.NONE.batchSize())).containsExactly(1);
    }
}
