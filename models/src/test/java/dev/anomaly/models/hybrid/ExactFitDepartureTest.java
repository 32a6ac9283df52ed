package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.detection.OnlineDetector;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A series that was constant for longer than the re-estimation schedule reaches (an idle disk, an error rate of 0)
 * and then becomes active. Its model fits the constant exactly and knows no noise: before, every later error lay
 * beyond what the calibration can hold, the detector alarmed about 50 times per 1,000 rows for good, and it predicted
 * the old constant. Now the first departure alarms and the series is trained again from it, so the active series is
 * scored like any other: at the calibrated rate of about one false alarm per 1,000 rows of Gaussian noise.
 */
class ExactFitDepartureTest {
    private static final int TRAIN = 120;
    /** Constant until here: beyond the schedule's last re-estimation (3,840 values), so none of them sees a change. */
    private static final int ACTIVE_FROM = 5000;
    private static final int N = ACTIVE_FROM + 6000;
    private static final double LEVEL = 40.0;

    @ParameterizedTest
    @CsvSource({"SARIMA, 0", "SARIMA, 250", "HYBRID, 0", "HYBRID, 250"})
    void aConstantSeriesThatBecomesActiveIsTrainedAgainFromItsFirstDeparture(DetectorMode mode, double idle) {
        double[] y = new double[N];
        Random r = new Random(17);
        for (int t = 0; t < N; t++) {
            y[t] = t < ACTIVE_FROM ? idle : LEVEL + r.nextGaussian();
        }
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG);
        assertThat(trainer.fitsExactly(trainer.fit(Arrays.copyOf(y, TRAIN)), Arrays.copyOf(y, TRAIN)))
                .as("a constant history is fitted exactly").isTrue();
        OnlineDetector d = trainer.reestimatingOn(new ReestimationSchedule(4000)).train(Arrays.copyOf(y, TRAIN));
        int idleAlarms = 0;
        int activeAlarms = 0;
        double predictionError = 0;
        boolean departureAlarmed = false;
        for (int t = TRAIN; t < N; t++) {
            Detection det = d.update(y[t]);
            if (t < ACTIVE_FROM) {
                idleAlarms += det.anomaly() ? 1 : 0;
            } else if (t == ACTIVE_FROM) {
                departureAlarmed = det.anomaly();
            } else if (t >= ACTIVE_FROM + 2 * TRAIN) {
                activeAlarms += det.anomaly() ? 1 : 0;
                predictionError += Math.abs(det.prediction() - LEVEL);
            }
        }
        int scored = N - ACTIVE_FROM - 2 * TRAIN;
        assertThat(idleAlarms).as("alarms while the series is constant").isZero();
        assertThat(departureAlarmed).as("the departure from the constant is an alarm").isTrue();
        assertThat(activeAlarms).as("alarms in %d rows of Gaussian noise after the departure", scored)
                .isLessThanOrEqualTo(15);
        assertThat(predictionError / scored).as("mean distance of the prediction from the active level")
                .isLessThan(1.5);
    }

    @ParameterizedTest
    @CsvSource({"SARIMA", "HYBRID"})
    void aModelOfANoisyHistoryIsNotExact(DetectorMode mode) {
        double[] y = SyntheticAnomalies.clean(SarimaEeLstmTest.TRAIN, 3);
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG);
        assertThat(trainer.fitsExactly(trainer.fit(y), y)).isFalse();
    }
}
