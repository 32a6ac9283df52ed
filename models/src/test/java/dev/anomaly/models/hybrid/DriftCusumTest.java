package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The drift CUSUM: a sustained shift too small for any single row's error to pass the threshold is still raised,
 * stationary noise raises (almost) nothing, the statistic restarts after an alarm, nothing is raised before the
 * calibration holds a block of samples, and its state round-trips exactly.
 */
class DriftCusumTest {
    private static final int TRAIN = SarimaEeLstmTest.TRAIN;

    private static DriftCusum primedOnNoise(long seed, int n) {
        DriftCusum d = new DriftCusum(1e-3, ThresholdRule.TAIL);
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) {
            d.prime(rnd.nextGaussian());
        }
        d.endPriming();
        return d;
    }

    @Test
    void aSustainedShiftOfOneStandardDeviationIsRaisedAndTheStatisticRestarts() {
        DriftCusum d = primedOnNoise(1, 4000);
        assertThat(d.armed()).isTrue();
        Random rnd = new Random(2);
        int firstAlarm = -1;
        for (int t = 0; t < 400 && firstAlarm < 0; t++) {
            // innovations of N(1, 1): every row ordinary (beyond 3.3 sd about once in 100 rows), their sum is not
            if (d.update(1.0 + rnd.nextGaussian())) {
                firstAlarm = t;
                assertThat(d.statistic()).as("restarts at 0").isZero();
            }
        }
        // Expected drift of S+ is 1 - k = 0.5 per row; the threshold of N(0, 1) noise's CUSUM lies near 10.
        assertThat(firstAlarm).isBetween(5, 100);
    }

    @Test
    void stationaryNoiseRaisesAlmostNothing() {
        DriftCusum d = primedOnNoise(3, 4000);
        Random rnd = new Random(4);
        int alarms = 0;
        for (int t = 0; t < 20_000; t++) {
            alarms += d.update(rnd.nextGaussian()) ? 1 : 0;
        }
        // alarm probability 1e-3 per row would be 20; the CUSUM's exceedances come in runs and each run raises once
        assertThat(alarms).isLessThanOrEqualTo(20);
    }

    @Test
    void nothingIsRaisedBeforeTheCalibrationHoldsABlockOfSamples() {
        DriftCusum d = new DriftCusum(1e-3, ThresholdRule.TAIL);
        int samplesToArm = BlockTailWindow.BLOCK;
        int innovationsToArm = (samplesToArm - 1) * DriftCusum.SAMPLE_EVERY + 1;
        int firstAlarm = -1;
        for (int t = 0; t < innovationsToArm + 200 && firstAlarm < 0; t++) {
            assertThat(d.armed()).as("armed after %d innovations", t).isEqualTo(t >= innovationsToArm);
            if (d.update(t < innovationsToArm ? 0.0 : 5.0)) {
                firstAlarm = t;
            }
        }
        assertThat(firstAlarm).isGreaterThanOrEqualTo(innovationsToArm).isLessThan(innovationsToArm + 200);
    }

    @Test
    void stateRoundTripsExactly() throws Exception {
        DriftCusum d = primedOnNoise(5, 3000);
        Random rnd = new Random(6);
        for (int t = 0; t < 1234; t++) {
            d.update(0.3 + rnd.nextGaussian());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        d.writeState(new DataOutputStream(bytes));
        DriftCusum copy = new DriftCusum(1e-3, ThresholdRule.TAIL);
        copy.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        int alarms = 0;
        for (int t = 0; t < 3000; t++) {
            double z = (t % 500 < 100 ? 1.5 : 0.0) + rnd.nextGaussian();
            boolean a = d.update(z);
            assertThat(copy.update(z)).as("decision %d", t).isEqualTo(a);
            assertThat(copy.statistic()).as("statistic %d", t).isEqualTo(d.statistic());
            alarms += a ? 1 : 0;
        }
        assertThat(alarms).isPositive();
    }

    /**
     * In a whole detector: a level shift of two noise standard deviations lasting 300 rows, on the seasonal test
     * series, is raised at a row whose own error is below the threshold (so by the drift CUSUM), while the same
     * series without the shift gets no such alarm over those rows. (Not the lstm mode: its network predicts the next
     * value from the last SEQ_LEN ones, so its predictions follow a level shift within a few rows and its
     * innovations stay centred.)
     */
    @ParameterizedTest
    @EnumSource(value = DetectorMode.class, names = {"HYBRID", "SARIMA"})
    void aDetectorRaisesASustainedShiftBelowItsPerRowThreshold(DetectorMode mode) {
        int from = TRAIN + 300;
        int to = from + 300;
        double[] clean = SyntheticAnomalies.clean(to + 50, 51);
        double[] shifted = clean.clone();
        for (int t = from; t < to; t++) {
            shifted[t] += 2 * SyntheticAnomalies.SIGMA;
        }
        FeatureModel model = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG)
                .fit(Arrays.copyOf(clean, TRAIN));
        assertThat(driftAlarms(model, clean, from, to)).as("without the shift").isZero();
        assertThat(driftAlarms(model, shifted, from, to)).as("with the shift").isPositive();
    }

    /** Alarms in [from, to) at rows whose error is below the threshold and whose value is inside the seen range. */
    private static int driftAlarms(FeatureModel model, double[] y, int from, int to) {
        SarimaEeLstm d = new SarimaEeLstm(model);
        d.prime(Arrays.copyOf(y, TRAIN));
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : Arrays.copyOf(y, TRAIN)) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int n = 0;
        for (int t = TRAIN; t < to; t++) {
            Detection r = d.update(y[t]);
            double tolerance = SarimaEeLstm.RANGE_TOLERANCE * (max - min);
            boolean inRange = y[t] <= max + tolerance && y[t] >= min - tolerance;
            if (t >= from && r.anomaly() && r.mse() <= r.threshold() && inRange) {
                n++;
            }
            min = Math.min(min, y[t]);
            max = Math.max(max, y[t]);
        }
        return n;
    }
}
