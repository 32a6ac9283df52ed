package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The confirmation rule at alarm probability 10^-3 (exceedance at surprise 3, a confirming row at 2, a lone
 * exceedance needs 4), row by row; the expected decisions are the rule's, written out by hand.
 */
class ExceedanceConfirmationTest {
    /**
     * Feeds surprises to a fresh rule (an exceedance being a surprise of at least 3) and returns each row's
     * evidence.
     */
    private static double[] feed(double... surprises) {
        return feed(new ExceedanceConfirmation(1e-3), surprises);
    }

    private static double[] feed(ExceedanceConfirmation rule, double... surprises) {
        double[] out = new double[surprises.length];
        for (int i = 0; i < surprises.length; i++) {
            out[i] = rule.observe(surprises[i] >= 3.0, surprises[i]);
        }
        return out;
    }

    @Test
    void aLoneExceedanceIsAnAlarmOnlyWhenTenTimesRarer() {
        assertThat(feed(0.5, 3.6, 0.4, 1.9, 0.2)).containsOnly(Double.NaN);
        assertThat(feed(0.5, 4.2, 0.4)).containsExactly(Double.NaN, 4.2, Double.NaN);
    }

    @Test
    void aSupportingRowWithinTwoRowsAfterConfirmsTheExceedance() {
        assertThat(feed(0.1, 3.3, 2.1)).containsExactly(Double.NaN, Double.NaN, 3.3);
        assertThat(feed(0.1, 3.3, 0.7, 2.5)).containsExactly(Double.NaN, Double.NaN, Double.NaN, 3.3);
        // three rows later is too late
        assertThat(feed(0.1, 3.3, 0.7, 0.9, 2.5)).containsOnly(Double.NaN);
    }

    @Test
    void aSupportingRowBeforeConfirmsTheExceedanceAtOnce() {
        assertThat(feed(2.4, 1.0, 3.1)).containsExactly(Double.NaN, Double.NaN, 3.1);
        assertThat(feed(2.4, 3.1)).containsExactly(Double.NaN, 3.1);
        // two exceedances in a row: the second confirms the first, the evidence is the larger
        assertThat(feed(3.5, 3.2)).containsExactly(Double.NaN, 3.5);
    }

    @Test
    void rowsBelowTheThresholdConfirmNothingAmongThemselves() {
        assertThat(feed(2.9, 2.8, 2.95, 2.5)).containsOnly(Double.NaN);
        // and a supporting row must itself reach 2
        assertThat(feed(3.4, 1.99, 1.5)).containsOnly(Double.NaN);
    }

    @Test
    void aRowWithoutAnErrorConfirmsNothing() {
        ExceedanceConfirmation rule = new ExceedanceConfirmation(1e-3);
        feed(rule, 3.4);
        rule.skipRow();
        rule.skipRow();
        assertThat(feed(rule, 2.5)).containsOnly(Double.NaN);
    }

    @Test
    void stateRoundTripsBetweenAnExceedanceAndItsConfirmation() throws IOException {
        ExceedanceConfirmation rule = new ExceedanceConfirmation(1e-3);
        feed(rule, 0.3, 3.3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        rule.writeState(new DataOutputStream(bytes));
        ExceedanceConfirmation restored = new ExceedanceConfirmation(1e-3);
        restored.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(restored.observe(false, 2.2)).isEqualTo(3.3);
        assertThat(new ExceedanceConfirmation(1e-3).observe(false, 2.2)).isNaN();
    }

    @Test
    void theLevelsFollowTheAlarmProbability() {
        ExceedanceConfirmation rarer = new ExceedanceConfirmation(1e-4);
        // surprise 4 is an exceedance at 10^-4, 3 supports it, a lone one needs 5
        assertThat(rarer.observe(true, 4.5)).isNaN();
        assertThat(rarer.observe(false, 3.1)).isEqualTo(4.5);
        assertThat(new ExceedanceConfirmation(1e-4).observe(true, 5.2)).isEqualTo(5.2);
    }

    /**
     * The rule inside the detector, in each mode: spikes sized (by probing a copy of the detector's state) to a
     * surprise of 3.5 alone, 3.5 followed by 2.5 on the next row, and 4.5 alone, on a seasonal series with white
     * noise. Only the last two are alarms, the pair on its second row. (With autocorrelated noise the model's echo
     * of a spike on the next row, the spike pulling the next prediction, can confirm it: the rule sees rows, not
     * causes.) The spikes are 60 rows apart (after the lone one nothing
     * opened a cooldown; the pair's alarm opens one of 30 rows in the test configuration).
     */
    @ParameterizedTest
    @EnumSource(value = DetectorMode.class, names = {"HYBRID", "SARIMA", "LSTM"})
    void theDetectorRaisesConfirmedAndFarExceedancesOnly(DetectorMode mode) {
        int train = SarimaEeLstmTest.TRAIN;
        int lone = train + 250;
        int pair = lone + 60;
        int far = pair + 60;
        java.util.Random rnd = new java.util.Random(43);
        double[] y = new double[far + 40];
        for (int t = 0; t < y.length; t++) {
            y[t] = 10 + 3 * Math.sin(2 * Math.PI * t / SyntheticAnomalies.PERIOD) + SyntheticAnomalies.SIGMA
                    * rnd.nextGaussian();
        }
        FeatureModel model = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG).fit(Arrays.copyOf(y, train));
        double middle = Arrays.stream(y, 0, train).average().orElseThrow();
        SarimaEeLstm d = new SarimaEeLstm(model);
        for (int t = train; t < y.length; t++) {
            // towards the middle of the seen values, so that no spike leaves their range (a range alarm)
            double sign = y[t] > middle ? -1.0 : 1.0;
            if (t == lone || t == pair || t == far) {
                y[t] += sign * spikeFor(d, y[t], sign, t == far ? 4.5 : 3.5);
            } else if (t == pair + 1) {
                y[t] += sign * spikeFor(d, y[t], sign, 2.5);
            }
            Detection r = d.update(y[t]);
            if (t == lone) {
                assertThat(r.mse()).as("the lone spike exceeds the threshold").isGreaterThan(r.threshold());
                assertThat(r.surprise()).isCloseTo(3.5, within(0.05));
            }
            if (t == pair + 1) {
                assertThat(r.surprise()).isCloseTo(2.5, within(0.05));
            }
            boolean expected = t == pair + 1 || t == far;
            assertThat(r.anomaly()).as("%s row %d (surprise %.2f)", mode, t, r.surprise()).isEqualTo(expected);
        }
    }

    /**
     * The size of the spike in direction {@code sign} that gives the next value {@code target} surprise, found by
     * bisection on copies of the detector's state.
     */
    private static double spikeFor(SarimaEeLstm d, double value, double sign, double target) {
        byte[] state = d.snapshotState();
        double lo = 0.0;
        double hi = 1.0;
        while (surpriseOf(d.model(), state, value + sign * hi) < target) {
            hi *= 2;
        }
        for (int i = 0; i < 60; i++) {
            double mid = 0.5 * (lo + hi);
            if (surpriseOf(d.model(), state, value + sign * mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    private static double surpriseOf(FeatureModel model, byte[] state, double value) {
        return SarimaEeLstm.restore(model, state).update(value).surprise();
    }
}
