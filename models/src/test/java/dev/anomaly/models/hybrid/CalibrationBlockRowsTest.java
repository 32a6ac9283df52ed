package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The calibration refits every 64 rows of the stream, not every 64 errors: rows without an error (SARIMA's
 * differencing warm-up, the hybrid's first SEQ_LEN rows, missing samples) count too, so detectors of every mode
 * started on the same stream refit at the same rows. When blocks counted errors, the hybrid, whose errors start
 * SEQ_LEN rows after SARIMA's, refitted SEQ_LEN rows later after each spike, and that alone decided the SMD
 * comparison of the modes (docs/EVALUATION.md, session 7).
 */
class CalibrationBlockRowsTest {

    /** Rows (0-based) whose threshold differs from the row before's (rows without one, NaN, are not compared). */
    private static List<Integer> changes(double[] thresholds) {
        List<Integer> rows = new ArrayList<>();
        for (int t = 1; t < thresholds.length; t++) {
            boolean both = !Double.isNaN(thresholds[t]) && !Double.isNaN(thresholds[t - 1]);
            if (both && thresholds[t] != thresholds[t - 1]) {
                rows.add(t);
            }
        }
        return rows;
    }

    @Test
    void aCalibratorWhoseFirstRowsHadNoErrorRefitsAtTheSameRowsAsOneThatHadThem() {
        Random rnd = new Random(3);
        double[] y = new double[64 * 20];
        for (int t = 0; t < y.length; t++) {
            y[t] = -Math.log(1 - rnd.nextDouble());
        }
        ErrorCalibrator all = new ErrorCalibrator(4096, 1e-3);
        ErrorCalibrator late = new ErrorCalibrator(4096, 1e-3);
        double[] allThresholds = new double[y.length];
        double[] lateThresholds = new double[y.length];
        for (int t = 0; t < y.length; t++) {
            all.learn(y[t]);
            if (t < 30) {
                late.skipRow();
            } else {
                late.learn(y[t]);
            }
            allThresholds[t] = all.threshold();
            lateThresholds[t] = late.threshold();
        }
        List<Integer> expected = new ArrayList<>();
        for (int t = 63; t < y.length; t += 64) {
            expected.add(t);
        }
        assertThat(changes(allThresholds)).containsExactlyElementsOf(expected);
        assertThat(changes(lateThresholds)).containsExactlyElementsOf(expected);
    }

    /**
     * A fresh detector of each mode on a series with missing samples: its threshold changes only at the end of a
     * 64-row block counted from its first row, whatever row its first error came at (SARIMA's warm-up, the LSTM
     * window) and however many rows had no error.
     */
    @ParameterizedTest
    @EnumSource(value = DetectorMode.class, names = {"HYBRID", "SARIMA", "LSTM"})
    void aFreshDetectorRefitsAtTheEndOfEvery64Rows(DetectorMode mode) {
        SyntheticAnomalies.Series s = SyntheticAnomalies.withAnomalies(600 + 1500, 600 + 300, 500, 11);
        double[] y = s.values();
        FeatureModel model = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG.withLstmState(LstmStateMode.CARRIED))
                .fit(Arrays.copyOf(y, 600));
        SarimaEeLstm d = new SarimaEeLstm(model);
        double[] thresholds = new double[1500];
        int missing = 0;
        for (int t = 0; t < 1500; t++) {
            double v = t % 97 == 50 ? Double.NaN : y[600 + t];
            missing += Double.isNaN(v) ? 1 : 0;
            Detection r = d.update(v);
            thresholds[t] = r.threshold();
        }
        assertThat(missing).isGreaterThan(10);
        List<Integer> changed = changes(thresholds);
        assertThat(changed).hasSizeGreaterThan(10);
        // Detection.threshold() is the one in force when the row was scored: a refit at row t shows from row t + 1.
        assertThat(changed).allSatisfy(t -> assertThat(t % 64).as("row %d", t).isZero());
    }
}
