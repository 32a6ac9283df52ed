package dev.anomaly.operators.detection;

import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.FULL;
import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.LAG;
import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.WARMUP;
import static dev.anomaly.operators.detection.BackgroundSelfTrainingTest.of;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.SMALL;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.STEP;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.feed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.LstmStateMode;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A self-trained series that was constant past its last re-estimation and then becomes active (an idle disk that
 * starts working). Its model fits the constant exactly and knows no noise: before, it alarmed once a cooldown for
 * good and predicted the constant. Now the departure is scored (an alarm) and the series warms up again from it, as
 * a new series does, and is then scored like any noisy series; the same across a restore between the two, and through
 * the operator that batches the LSTM steps of the carried state.
 */
class ExactFitRestartTest {
    /** The last re-estimation is on 240 values; the series stays constant well beyond it. */
    private static final int UNTIL = 240;
    private static final int ACTIVE_FROM = 600;
    private static final int N = ACTIVE_FROM + 2000;

    private static DetectionSettings settings(DetectorMode mode, boolean carried) {
        return new DetectionSettings(mode, carried ? SMALL.withLstmState(LstmStateMode.CARRIED) : SMALL, null,
                Map.of(), STEP, WARMUP, FULL, 5, 3, 100, true, 0, false, LAG, 1,
                DetectionSettings.DEFAULT_MODEL_CACHE_SIZE, UNTIL);
    }

    /** The keyed function alone, or the operator that batches the carried LSTM steps of many series. */
    private static KeyedOneInputStreamOperatorTestHarness<String, dev.anomaly.models.records.Sample, DetectionResult>
            harness(DetectorMode mode, boolean batched) throws Exception {
        if (!batched) {
            return BackgroundSelfTrainingTest.harness(settings(mode, false), null);
        }
        return new KeyedOneInputStreamOperatorTestHarness<>(new SeriesDetectionOperator(
                new SeriesDetectionFunction(settings(mode, true)), new InferenceBatching(16, 3_600_000)),
                dev.anomaly.models.records.Sample::seriesId, Types.STRING);
    }

    /** 0 until {@link #ACTIVE_FROM}, then 40 + N(0, 1). */
    private static double[] idleThenActive() {
        Random r = new Random(5);
        double[] y = new double[N];
        for (int t = ACTIVE_FROM; t < N; t++) {
            y[t] = 40 + r.nextGaussian();
        }
        return y;
    }

    @ParameterizedTest
    @CsvSource({"SARIMA, false", "HYBRID, false", "HYBRID, true"})
    void aConstantSeriesThatBecomesActiveWarmsUpAgainFromItsFirstDeparture(DetectorMode mode, boolean batched)
            throws Exception {
        double[] y = idleThenActive();
        List<DetectionResult> a;
        try (var h = harness(mode, batched)) {
            h.open();
            feed(h, y, 0, N);
            h.processWatermark(Long.MAX_VALUE);
            a = of(h.extractOutputValues(), "a");
        }
        assertRestartedAtTheDeparture(a);
        // the same with the state written and restored between the last re-estimation and the departure
        List<DetectionResult> resumed = SeriesDetectionFunctionTest.resumedAcross(() -> harness(mode, batched),
                y, 0, ACTIVE_FROM - 50, N);
        assertThat(of(resumed, "a").stream().map(SeriesDetectionFunctionTest::fields).toList())
                .containsExactlyElementsOf(a.stream().map(SeriesDetectionFunctionTest::fields).toList());
    }

    private static void assertRestartedAtTheDeparture(List<DetectionResult> a) {
        assertThat(a).hasSize(N);
        assertThat(a.subList(UNTIL + LAG, ACTIVE_FROM)).allSatisfy(r -> {
            assertThat(r.modelState()).isEqualTo(ModelState.SELF_TRAINED);
            assertThat(r.anomaly()).isFalse();
        });
        DetectionResult departure = a.get(ACTIVE_FROM);
        assertThat(departure.anomaly()).as("the departure from the constant").isTrue();
        assertThat(departure.modelState()).isEqualTo(ModelState.SELF_TRAINED);
        List<DetectionResult> later = a.subList(ACTIVE_FROM + 2 * UNTIL, N);
        assertThat(later).allSatisfy(r -> assertThat(r.modelState()).isEqualTo(ModelState.SELF_TRAINED));
        assertThat(later.stream().filter(DetectionResult::anomaly).count())
                .as("alarms in %d rows of Gaussian noise", later.size()).isLessThanOrEqualTo(5);
        assertThat(later.stream().mapToDouble(r -> Math.abs(r.prediction() - 40)).average().orElseThrow())
                .as("mean distance of the prediction from the active level").isLessThan(1.5);
        assertThat(a.subList(ACTIVE_FROM + 1, ACTIVE_FROM + WARMUP))
                .as("the series warms up again from the departure")
                .allSatisfy(r -> assertThat(r.modelState()).isEqualTo(ModelState.WARMING_UP));
    }
}
