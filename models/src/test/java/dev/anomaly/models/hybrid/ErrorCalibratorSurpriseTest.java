package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The calibrator's surprise, -log10 of the tail probability: equal to -log10(1 - score) wherever the score has not
 * rounded to 1, still growing (and equal to the fitted tail's own log probability, computed here from u, beta and xi)
 * far beyond the point where the score is exactly 1.
 */
class ErrorCalibratorSurpriseTest {

    @Test
    void surpriseIsMinusLog10OfOneMinusScoreWhileTheScoreIsBelowOne() {
        for (ErrorCalibrator c : new ErrorCalibrator[] {fitted(heavyTailed(), ThresholdRule.TAIL),
                fitted(exponential(), ThresholdRule.TAIL), fitted(heavyTailed(), ThresholdRule.MEAN_K_SIGMA)}) {
            for (double x = 0.0; x < 400.0; x += 0.37) {
                double score = c.score(x);
                if (score < 1.0 - 1e-9) {
                    assertThat(c.surprise(x)).as("surprise(%s)", x)
                            .isCloseTo(-Math.log10(1.0 - score), within(1e-6 * Math.max(1.0, -Math.log10(1 - score))));
                }
            }
        }
    }

    @Test
    void surpriseKeepsGrowingWhereTheScoreIsExactlyOne() {
        for (double[] errors : new double[][] {exponential(), heavyTailed()}) {
            ErrorCalibrator c = fitted(errors, ThresholdRule.TAIL);
            double u = c.tailStart();
            double beta = c.tailScale();
            double xi = c.tailShape();
            double previous = 0;
            int beyondOne = 0;
            for (double x = u; x < 1e12; x = 2 * x + 1) {
                // P(MSE > x) = 0.1 (1 + xi (x - u) / beta)^(-1/xi), or 0.1 exp(-(x - u) / beta) for xi = 0.
                double log10P = -1.0 + (xi < 1e-9 ? -(x - u) / beta / Math.log(10.0)
                        : -Math.log10(1.0 + xi * (x - u) / beta) / xi);
                assertThat(c.surprise(x)).as("surprise(%s), xi %s", x, xi)
                        .isCloseTo(-log10P, within(1e-9 * -log10P)).isGreaterThan(previous);
                previous = c.surprise(x);
                if (c.score(x) == 1.0) {
                    beyondOne++;
                }
            }
            assertThat(beyondOne).as("points where the score is exactly 1, xi %s", xi).isGreaterThan(3);
        }
    }

    @Test
    void surpriseIsZeroAtZeroAndTheAlarmProbabilityAtTheThreshold() {
        ErrorCalibrator c = fitted(heavyTailed(), ThresholdRule.TAIL);
        assertThat(c.surprise(0.0)).isZero();
        assertThat(c.surprise(c.threshold())).isCloseTo(3.0, within(1e-9));
        c.overrideThreshold(c.threshold() * 2);
        assertThat(c.surprise(c.threshold())).as("shifted with a fixed threshold, as the score is")
                .isCloseTo(3.0, within(1e-9));
    }

    private static ErrorCalibrator fitted(double[] errors, ThresholdRule rule) {
        ErrorCalibrator c = new ErrorCalibrator(4096, 1e-3, rule);
        c.seed(errors);
        c.refresh();
        return c;
    }

    private static double[] heavyTailed() {
        Random rnd = new Random(11);
        double[] x = new double[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.exp(rnd.nextGaussian() * 1.2);
        }
        return x;
    }

    private static double[] exponential() {
        Random rnd = new Random(12);
        double[] x = new double[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = -Math.log(1.0 - rnd.nextDouble());
        }
        return x;
    }
}
