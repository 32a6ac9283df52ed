package dev.anomaly.operators.detection;

import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.FULL;
import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.LAG;
import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.Queue;
import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.WARMUP;
import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.assertScored;
import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.harness;
import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.of;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.SMALL;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.STEP;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.feed;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.SarimaEeLstm;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import dev.anomaly.models.records.DetectionResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Self-trained models estimated again as the series' history grows ({@code warmup.reestimate-until}): at twice the
 * history of the previous estimation, in the background, in effect {@code trainingLagSamples} samples later, the
 * detector's online state carried on, the history dropped after the last one; the same across a restore.
 */
class SelfTrainedReestimationTest {
    static final int UNTIL = 240;
    static final int N = 330;

    static DetectionSettings settings(int threads, int until) {
        return new DetectionSettings(DetectorMode.HYBRID, SMALL, null, Map.of(), STEP, WARMUP, FULL, 5, 3, 100, true,
                0, false, LAG, threads, DetectionSettings.DEFAULT_MODEL_CACHE_SIZE, until);
    }

    /**
     * The hybrid trained on 60 samples is estimated again on 120 (in effect at 125) and on 240 (in effect at 245).
     * Reference, apart from the operator: the model refitted on the history up to where each estimation was due,
     * going on from the previous detector ({@link SarimaEeLstm#reestimated}) after the sample at which it takes
     * effect.
     */
    @Test
    void theModelIsEstimatedAgainAtTwiceItsHistoryAndGoesOnFromTheDetectorsState() throws Exception {
        double[] y = series(N, 7);
        List<DetectionResult> a;
        Queue queue = new Queue();
        try (var h = harness(settings(1, UNTIL), queue)) {
            h.open();
            feed(h, y, 0, N);
            h.processWatermark(Long.MAX_VALUE);
            // two series, each: the full training (60) and two re-estimations (120, 240), none run by the pool
            assertThat(queue.tasks).hasSize(6);
            a = of(h.extractOutputValues(), "a");
        }
        assertThat(a).hasSize(N);

        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.HYBRID, SMALL);
        FeatureModel m1 = trainer.fit(Arrays.copyOf(y, FULL));
        SarimaEeLstm d = new SarimaEeLstm(m1);
        d.prime(Arrays.copyOf(y, FULL + LAG));
        assertScored(d, y, FULL + LAG, 2 * FULL + LAG, a);
        FeatureModel m2 = trainer.refit(m1, Arrays.copyOf(y, 2 * FULL));
        assertThat(m2.sarima().params()).as("a new estimate").isNotEqualTo(m1.sarima().params());
        d = d.reestimated(m2, Arrays.copyOf(y, 2 * FULL + LAG));
        assertScored(d, y, 2 * FULL + LAG, 4 * FULL + LAG, a);
        FeatureModel m3 = trainer.refit(m2, Arrays.copyOf(y, 4 * FULL));
        d = d.reestimated(m3, Arrays.copyOf(y, 4 * FULL + LAG));
        assertScored(d, y, 4 * FULL + LAG, N, a);
    }

    @Test
    void backgroundThreadsAndRestoresInsideTheLagGiveTheSameResults() throws Exception {
        double[] y = series(N, 8);
        List<DetectionResult> reference;
        try (var h = harness(settings(1, UNTIL), new Queue())) {
            h.open();
            feed(h, y, 0, N);
            h.processWatermark(Long.MAX_VALUE);
            reference = new ArrayList<>(h.extractOutputValues());
        }
        try (var h = harness(settings(2, UNTIL), null)) {
            h.open();
            feed(h, y, 0, N);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues().stream().map(SeriesDetectionFunctionTest::fields).toList())
                    .containsExactlyElementsOf(reference.stream().map(SeriesDetectionFunctionTest::fields).toList());
        }
        // cuts inside the lag of both re-estimations (started at 120 and 240, in effect at 125 and 245)
        List<DetectionResult> resumed = SeriesDetectionFunctionTest.resumedAcross(
                () -> harness(settings(1, UNTIL), null), y, 0, 2 * FULL + 2, 4 * FULL + 3, N);
        assertThat(resumed.stream().map(SeriesDetectionFunctionTest::fields).toList())
                .containsExactlyElementsOf(reference.stream().map(SeriesDetectionFunctionTest::fields).toList());
    }

    /** Without re-estimation the results differ from the first one on, so the tests above see it happen. */
    @Test
    void withoutReestimationTheResultsDifferFromTheFirstOneOn() throws Exception {
        double[] y = series(N, 7);
        List<String> with;
        List<String> without;
        try (var h = harness(settings(1, UNTIL), null)) {
            h.open();
            feed(h, y, 0, N);
            h.processWatermark(Long.MAX_VALUE);
            with = of(h.extractOutputValues(), "a").stream().map(SeriesDetectionFunctionTest::fields).toList();
        }
        try (var h = harness(settings(1, 0), null)) {
            h.open();
            feed(h, y, 0, N);
            h.processWatermark(Long.MAX_VALUE);
            without = of(h.extractOutputValues(), "a").stream().map(SeriesDetectionFunctionTest::fields).toList();
        }
        assertThat(with.subList(0, 2 * FULL + LAG)).isEqualTo(without.subList(0, 2 * FULL + LAG));
        assertThat(with.get(2 * FULL + LAG)).isNotEqualTo(without.get(2 * FULL + LAG));
    }

    @Test
    void aLimitBeyondTheLongestTrainingHistoryIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> settings(1, SMALL.maxTrainingPoints() + 1))
                .hasMessageContaining("warmup.reestimate-until")
                .hasMessageContaining("scoring.max-training-points");
        assertThatThrownBy(() -> settings(1, -1)).hasMessageContaining("warmup.reestimate-until");
    }
}
