package dev.anomaly.operators.detection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.SarimaEeLstm;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import dev.anomaly.models.hybrid.ThresholdRule;
import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import dev.anomaly.models.records.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keyed detection operator in Flink's operator test harness: ordering, late data, gaps, training, restore. */
class SeriesDetectionFunctionTest {
    static final long STEP = 1000L;
    static final HybridConfig SMALL = new HybridConfig(8, 4, 1, 4, 0.01, 32, 7L, 1, -1, 1, 1e-3, 4000, 1000, 20, 0,
            ThresholdRule.TAIL);

    static DetectionSettings settings(DetectorMode mode, String modelPath, int warmup, int full) {
        return new DetectionSettings(mode, SMALL, modelPath, Map.of(), STEP, warmup, full, 5, 3, 100, true, 0);
    }

    /** A seasonal series with noise: 10 + 3 sin(2 pi t / 24) + N(0, 0.3). */
    static double[] series(int n, long seed) {
        Random r = new Random(seed);
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = 10 + 3 * Math.sin(2 * Math.PI * t / 24) + 0.3 * r.nextGaussian();
        }
        return y;
    }

    static Sample sample(String instance, long t, double v) {
        return Sample.of("cpu", "host_cpu", Map.of("instance", instance), t * STEP, v);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Sample, DetectionResult> harness(DetectionSettings s)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SeriesDetectionFunction(s)),
                Sample::seriesId, Types.STRING);
    }

    /** Feeds samples t in [from, to) of two series, with the watermark one step behind. */
    static void feed(KeyedOneInputStreamOperatorTestHarness<String, Sample, DetectionResult> h, double[] y, int from,
                     int to) throws Exception {
        for (int t = from; t < to; t++) {
            h.processElement(sample("a", t, y[t]), t * STEP);
            h.processElement(sample("b", t, y[t] * 2), t * STEP);
            h.processWatermark((t - 1) * STEP);
        }
    }

    @Test
    void warmsUpThenSelfTrainsSarimaThenTheFullHybrid() throws Exception {
        double[] y = series(200, 1);
        try (var h = harness(settings(DetectorMode.HYBRID, null, 20, 60))) {
            h.open();
            feed(h, y, 0, 200);
            h.processWatermark(Long.MAX_VALUE);
            List<DetectionResult> a = h.extractOutputValues().stream()
                    .filter(r -> r.labels().get("instance").equals("a")).toList();
            assertThat(a).hasSize(200);
            assertThat(a).extracting(DetectionResult::timestampMs).isSorted();
            assertThat(a.subList(0, 20)).allMatch(DetectionResult::warmingUp);
            DetectionResult early = a.get(25);
            assertThat(early.modelState()).isEqualTo(ModelState.SELF_TRAINED);
            assertThat(early.predictedResidual()).as("sarima stage has no LSTM").isNaN();
            assertThat(early.forecastMean()).hasSize(3);
            DetectionResult late = a.get(190);
            assertThat(late.modelState()).isEqualTo(ModelState.SELF_TRAINED);
            assertThat(late.predictedResidual()).as("the full hybrid predicts residuals").isFinite();
            assertThat(late.anomalyScore()).isBetween(0.0, 1.0);
            assertThat(late.forecastLower()[0]).isLessThan(late.forecastMean()[0]);
            assertThat(late.forecastUpper()[0]).isGreaterThan(late.forecastMean()[0]);
        }
    }

    @Test
    void lateAndDuplicateSamplesAreDroppedAndOutOfOrderOnesAreSorted() throws Exception {
        try (var h = harness(settings(DetectorMode.SARIMA, null, 16, 0))) {
            h.open();
            h.processElement(sample("a", 3, 1.0), 3 * STEP);
            h.processElement(sample("a", 1, 2.0), 1 * STEP); // out of order, within the watermark bound
            h.processElement(sample("a", 2, 3.0), 2 * STEP);
            h.processElement(sample("a", 2, 9.0), 2 * STEP); // duplicate while pending
            h.processWatermark(3 * STEP);
            h.processElement(sample("a", 3, 4.0), 3 * STEP); // duplicate of a processed one
            h.processElement(sample("a", 1, 5.0), 1 * STEP); // late
            h.processElement(sample("a", 4, 6.0), 4 * STEP); // behind no one: processed at the next watermark
            h.processWatermark(4 * STEP);
            List<DetectionResult> out = h.extractOutputValues();
            assertThat(out).extracting(DetectionResult::timestampMs).containsExactly(1000L, 2000L, 3000L, 4000L);
            assertThat(out).extracting(DetectionResult::value).containsExactly(2.0, 3.0, 1.0, 6.0);
        }
    }

    /**
     * A watermark that stalls while a series keeps sending: the buffer stays at MAX_PENDING samples, the oldest are
     * processed ahead of the watermark, in order, and their event-time timers go with them (one timer per waiting
     * sample, not one per sample ever buffered).
     */
    @Test
    void aStalledWatermarkKeepsTheBufferAndItsTimersBounded() throws Exception {
        int n = SeriesDetectionFunction.MAX_PENDING + 300;
        try (var h = harness(settings(DetectorMode.SARIMA, null, 16, 0))) {
            h.open();
            h.processWatermark(0);
            for (int t = 1; t <= n; t++) {
                h.processElement(sample("a", t, 10 + (t % 7)), t * STEP);
            }
            assertThat(h.extractOutputValues()).extracting(DetectionResult::timestampMs)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 300).map(t -> t * STEP).boxed().toList());
            assertThat(h.numEventTimeTimers()).isEqualTo(SeriesDetectionFunction.MAX_PENDING);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).hasSize(n).extracting(DetectionResult::timestampMs).isSorted();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void scoredOnArrivalInOrderSamplesGiveTheSameResultsWithoutWaitingForTheWatermark() throws Exception {
        double[] y = series(120, 4);
        DetectionSettings buffered = settings(DetectorMode.HYBRID, null, 20, 60);
        DetectionSettings onArrival = new DetectionSettings(buffered.mode(), buffered.hybrid(), null, Map.of(), STEP,
                20, 60, 5, 3, 100, true, 0, true);
        List<DetectionResult> reference;
        try (var h = harness(buffered)) {
            h.open();
            feed(h, y, 0, 120);
            h.processWatermark(Long.MAX_VALUE);
            reference = h.extractOutputValues();
        }
        try (var h = harness(onArrival)) {
            h.open();
            for (int t = 0; t < 120; t++) {
                h.processElement(sample("a", t, y[t]), t * STEP);
                h.processElement(sample("b", t, y[t] * 2), t * STEP);
                // no watermark at all: every sample is out as soon as it is in, no timer is registered
                assertThat(h.extractOutputValues()).hasSize(2 * (t + 1));
                assertThat(h.numEventTimeTimers()).isZero();
            }
            h.processElement(sample("a", 50, 1.0), 50 * STEP); // older than the last one of its series: late
            h.processElement(sample("a", 119, 1.0), 119 * STEP); // a repeat: duplicate
            List<DetectionResult> out = h.extractOutputValues();
            assertThat(out).hasSize(240);
            assertThat(out.stream().map(SeriesDetectionFunctionTest::fields).toList())
                    .containsExactlyInAnyOrderElementsOf(reference.stream().map(SeriesDetectionFunctionTest::fields)
                            .toList());
            assertThat(out.get(239).modelState()).isEqualTo(ModelState.SELF_TRAINED);
        }
    }

    /** Every field of a result as text (doubles exactly, NaN included, arrays by content). */
    static String fields(DetectionResult r) {
        return String.join("|", r.seriesId(), Long.toString(r.timestampMs()), Double.toString(r.value()),
                Double.toString(r.prediction()), Double.toString(r.residual()), Double.toString(r.predictedResidual()),
                Double.toString(r.mse()), Double.toString(r.threshold()), Double.toString(r.anomalyScore()),
                Boolean.toString(r.anomaly()), Boolean.toString(r.gap()), r.modelState().name(),
                java.util.Arrays.toString(r.forecastMean()), java.util.Arrays.toString(r.forecastLower()),
                java.util.Arrays.toString(r.forecastUpper()));
    }

    @Test
    void aGapBecomesFlaggedPredictOnlySteps() throws Exception {
        double[] y = series(60, 2);
        try (var h = harness(settings(DetectorMode.SARIMA, null, 20, 0))) {
            h.open();
            for (int t = 0; t < 40; t++) {
                h.processElement(sample("a", t, y[t]), t * STEP);
            }
            // Steps 40, 41, 42 are missing; 43 arrives.
            h.processElement(sample("a", 43, y[43]), 43 * STEP);
            h.processWatermark(Long.MAX_VALUE);
            List<DetectionResult> out = h.extractOutputValues();
            List<DetectionResult> gaps = out.stream().filter(DetectionResult::gap).toList();
            assertThat(gaps).extracting(DetectionResult::timestampMs).containsExactly(40_000L, 41_000L, 42_000L);
            assertThat(gaps).allMatch(r -> Double.isNaN(r.value()) && Double.isFinite(r.prediction()));
            DetectionResult after = out.get(out.size() - 1);
            assertThat(after.timestampMs()).isEqualTo(43_000L);
            assertThat(after.gap()).isFalse();
            assertThat(after.anomalyScore()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void aTrainedModelFromModelPathScoresFromTheStartLikeTheModelAlone(@TempDir Path dir) throws Exception {
        double[] y = series(400, 3);
        FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.SARIMA, SMALL).fit(java.util.Arrays.copyOf(y, 300));
        Path file = dir.resolve("model.zip");
        ModelFile.write(new TrainedModel(Map.of("cpu", model), Map.of("cpu", new TrainingRange("t", 300, "", "", 0))),
                file);
        SarimaEeLstm reference = new SarimaEeLstm(model);
        try (var h = harness(settings(DetectorMode.HYBRID, file.toString(), 20, 60))) {
            h.open();
            for (int t = 300; t < 400; t++) {
                h.processElement(sample("a", t, y[t]), t * STEP);
            }
            h.processWatermark(Long.MAX_VALUE);
            List<DetectionResult> out = h.extractOutputValues();
            assertThat(out).hasSize(100);
            for (int i = 0; i < 100; i++) {
                Detection expected = reference.update(y[300 + i]);
                DetectionResult r = out.get(i);
                assertThat(r.modelState()).isEqualTo(expected.warmingUp() ? ModelState.WARMING_UP : ModelState.TRAINED);
                assertThat(r.anomalyScore()).isEqualTo(expected.warmingUp() ? Double.NaN : expected.anomalyScore());
                assertThat(r.prediction()).isEqualTo(expected.prediction());
            }
        }
    }

    @Test
    void snapshotAndRestoreMidStreamGivesExactlyTheUninterruptedOutputs() throws Exception {
        double[] y = series(160, 4);
        DetectionSettings s = settings(DetectorMode.HYBRID, null, 20, 60);
        List<DetectionResult> reference;
        try (var h = harness(s)) {
            h.open();
            feed(h, y, 0, 160);
            h.processWatermark(Long.MAX_VALUE);
            reference = new ArrayList<>(h.extractOutputValues());
        }
        // Interrupt twice: during the early SARIMA stage (with samples pending behind the watermark) and after
        // the full hybrid was trained.
        List<DetectionResult> resumed = resumedAcross(() -> harness(s), y, 0, 37, 101, 160);
        assertThat(resumed).hasSize(reference.size());
        assertThat(resumed).containsExactlyElementsOf(reference);
    }

    /**
     * THRESHOLDS changed across restores (2.5, then 5, then none) reach the self-trained series: their model is
     * kept in state with the threshold of its training, the restored detector uses the one configured now.
     */
    @Test
    void aRestoreWithChangedThresholdsAppliesThemToSelfTrainedSeries() throws Exception {
        double[] y = series(160, 8);
        List<Map<String, Double>> thresholds = List.of(Map.of("cpu", 2.5), Map.of("cpu", 5.0), Map.of());
        java.util.concurrent.atomic.AtomicInteger run = new java.util.concurrent.atomic.AtomicInteger();
        List<DetectionResult> out = resumedAcross(() -> harness(new DetectionSettings(DetectorMode.HYBRID, SMALL,
                null, thresholds.get(run.getAndIncrement()), STEP, 20, 60, 5, 3, 100, true, 0)), y, 0, 80, 120, 160);
        List<DetectionResult> a = out.stream().filter(r -> r.labels().get("instance").equals("a")).toList();
        assertThat(a).hasSize(160);
        assertThat(a.subList(30, 75)).extracting(DetectionResult::threshold).containsOnly(2.5);
        assertThat(a.subList(85, 115)).extracting(DetectionResult::threshold).containsOnly(5.0);
        assertThat(a.subList(125, 160)).extracting(DetectionResult::threshold).doesNotContain(2.5, 5.0)
                .allMatch(t -> t > 0);
    }

    /** A harness to run one stretch of a stream in. */
    interface HarnessFactory {
        KeyedOneInputStreamOperatorTestHarness<String, Sample, DetectionResult> create() throws Exception;
    }

    /**
     * The outputs of feeding {@code y} over the stretches between {@code cuts}, each in a fresh harness restored
     * from the snapshot the previous one took at its end (the last one ends with the final watermark).
     */
    static List<DetectionResult> resumedAcross(HarnessFactory harnesses, double[] y, int... cuts) throws Exception {
        List<DetectionResult> resumed = new ArrayList<>();
        OperatorSubtaskState snapshot = null;
        for (int i = 0; i + 1 < cuts.length; i++) {
            try (var h = harnesses.create()) {
                h.setup();
                if (snapshot != null) {
                    h.initializeState(snapshot);
                }
                h.open();
                feed(h, y, cuts[i], cuts[i + 1]);
                if (i + 2 == cuts.length) {
                    h.processWatermark(Long.MAX_VALUE);
                }
                resumed.addAll(h.extractOutputValues());
                snapshot = h.snapshot(i, cuts[i + 1]);
            }
        }
        return resumed;
    }
}
