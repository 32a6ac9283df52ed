package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values the model cannot take must not poison a series: a value missing while the SARIMA filter fills its
 * differencing ring (a gap at a new series' start), and a glitch no measurement makes (Double.MAX_VALUE, 1e300,
 * infinity). Before, the first left a NaN in the ring that reached the Kalman and LSTM states, the second overflowed
 * the Kalman state to Inf and NaN, and in both cases every later error was NaN: the series never alarmed again.
 */
class UnscorableValuesTest {
    private static final int TRAIN = SarimaEeLstmTest.TRAIN;
    private static final double SPIKE = 12 * SyntheticAnomalies.SIGMA;
    /** The LSTM state the job runs with by default: carried, so a NaN that reached it would stay. */
    private static final HybridConfig CONFIG = SarimaEeLstmTest.CONFIG.withLstmState(LstmStateMode.CARRIED);

    @ParameterizedTest
    @EnumSource(value = DetectorMode.class, names = {"HYBRID", "SARIMA"})
    void aValueMissingDuringTheWarmUpLeavesTheSeriesScoringAndAlarming(DetectorMode mode) {
        double[] y = randomWalk(TRAIN + 900, 11);
        FeatureModel model = new SarimaEeLstmTrainer(mode, CONFIG).keepingCorrection()
                .fit(Arrays.copyOf(y, TRAIN));
        assertThat(model.sarima().spec().order().d() + model.sarima().spec().order().seasonalD())
                .as("the model differences, so the warm-up has a ring to fill: %s", model.sarima().spec()).isPositive();
        SarimaEeLstm fresh = new SarimaEeLstm(model);
        y[TRAIN] = Double.NaN; // the new series' first value is missing
        int spikeAt = TRAIN + 700;
        y[spikeAt] += SPIKE;
        int finiteErrors = 0;
        boolean spikeFound = false;
        for (int t = TRAIN; t < y.length; t++) {
            Detection d = fresh.update(y[t]);
            if (t >= TRAIN + 100 && t < spikeAt) {
                finiteErrors += Double.isFinite(d.mse()) ? 1 : 0;
                assertThat(d.prediction()).as("prediction at %d", t).isFinite();
            }
            spikeFound |= t >= spikeAt && t < spikeAt + 3 && d.anomaly();
        }
        assertThat(finiteErrors).as("rows scored after the warm-up").isEqualTo(spikeAt - TRAIN - 100);
        assertThat(spikeFound).as("the later spike is an alarm").isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = DetectorMode.class, names = {"HYBRID", "SARIMA"})
    void aGlitchNoMeasurementMakesIsAnAlarmAndTheSeriesGoesOn(DetectorMode mode) {
        double[] y = SyntheticAnomalies.clean(TRAIN + 1200, 12);
        OnlineDetectorFactory factory = () -> new SarimaEeLstmTrainer(mode, CONFIG)
                .keepingCorrection().train(Arrays.copyOf(y, TRAIN));
        for (double glitch : new double[] {Double.MAX_VALUE, -1e300, Double.POSITIVE_INFINITY}) {
            double[] x = y.clone();
            int glitchAt = TRAIN + 150;
            int spikeAt = TRAIN + 600;
            x[glitchAt] = glitch;
            x[spikeAt] += SPIKE;
            var detector = factory.create();
            boolean spikeFound = false;
            for (int t = TRAIN; t < x.length; t++) {
                Detection d = detector.update(x[t]);
                if (t == glitchAt && Double.isFinite(glitch)) {
                    assertThat(d.anomaly()).as("%s: the glitch %s itself", mode, glitch).isTrue();
                }
                if (t > glitchAt + 20) {
                    assertThat(d.mse()).as("%s after %s, row %d", mode, glitch, t).isFinite();
                    assertThat(d.prediction()).as("%s after %s, row %d", mode, glitch, t).isFinite();
                }
                spikeFound |= t >= spikeAt && t < spikeAt + 3 && d.anomaly();
            }
            assertThat(spikeFound).as("%s: a later spike after the glitch %s", mode, glitch).isTrue();
        }
    }

    /** A random walk with drift and steps of SIGMA: a model of it differences (d = 1). */
    private static double[] randomWalk(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] y = new double[n];
        double level = 50;
        for (int i = 0; i < n; i++) {
            level += 0.2 + SyntheticAnomalies.SIGMA * r.nextGaussian();
            y[i] = level;
        }
        return y;
    }

    private interface OnlineDetectorFactory {
        dev.anomaly.models.detection.OnlineDetector create();
    }
}
