package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.detection.OnlineDetector;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A trained detector's detections carry the calibrator's surprise: -log10(1 - score) while the score is below 1, and
 * still ordered (a larger spike, a larger surprise) where both spikes score exactly 1.
 */
class SarimaEeLstmSurpriseTest {
    private static final int TRAIN = SarimaEeLstmTest.TRAIN;

    @Test
    void surpriseMatchesTheScoreAndOrdersSpikesThatBothScoreOne() {
        double[] y = SyntheticAnomalies.clean(TRAIN + 400, 21);
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.SARIMA, SarimaEeLstmTest.CONFIG);
        OnlineDetector d = trainer.train(Arrays.copyOf(y, TRAIN));
        int compared = 0;
        for (int t = TRAIN; t < y.length; t++) {
            Detection x = d.update(y[t]);
            if (!x.warmingUp() && x.anomalyScore() < 1.0 - 1e-9) {
                assertThat(x.surprise()).as("row %d", t).isCloseTo(-Math.log10(1.0 - x.anomalyScore()),
                        within(1e-6 * Math.max(1.0, x.surprise())));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(300);
        double[] spikes = {60, 600};
        double[] surprise = new double[spikes.length];
        for (int k = 0; k < spikes.length; k++) {
            OnlineDetector fresh = trainer.train(Arrays.copyOf(y, TRAIN));
            for (int t = TRAIN; t < TRAIN + 200; t++) {
                fresh.update(y[t]);
            }
            Detection x = fresh.update(y[TRAIN + 200] + spikes[k] * SyntheticAnomalies.SIGMA);
            assertThat(x.anomalyScore()).as("spike of %s sigma", spikes[k]).isEqualTo(1.0);
            surprise[k] = x.surprise();
        }
        assertThat(surprise[0]).isGreaterThan(16.0);
        assertThat(surprise[1]).isGreaterThan(surprise[0]);
    }
}
