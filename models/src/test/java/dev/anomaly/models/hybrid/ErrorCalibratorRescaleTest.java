package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ErrorCalibrator#rescale}: a calibrator whose history is rescaled by f afterwards is the calibrator that
 * learned the errors times f in the first place, for every threshold rule: at once (its fit scaled, exactly) and
 * after its next refresh (refitted on the rescaled codes, which are rounded once more, by at most half a code:
 * 2^(1/1024) relative). The factors keep the tail's scale beta above its absolute floor (0.05, in the normalised
 * errors' units), below which the fit is not scale-free by design.
 */
class ErrorCalibratorRescaleTest {
    private static final int CAPACITY = 4096;
    private static final double ALPHA = 1e-3;

    /** 70 blocks and a partial one of heavy-tailed errors (squared Student-t with 3 degrees of freedom). */
    private static double[] errors(long seed) {
        Random rnd = new Random(seed);
        double[] e = new double[70 * 64 + 20];
        for (int i = 0; i < e.length; i++) {
            double chi2 = 0;
            for (int k = 0; k < 3; k++) {
                double g = rnd.nextGaussian();
                chi2 += g * g;
            }
            double t = rnd.nextGaussian() / Math.sqrt(chi2 / 3);
            e[i] = t * t;
        }
        return e;
    }

    @Test
    void aRescaledHistoryIsTheHistoryOfTheRescaledErrors() {
        double[] e = errors(3);
        for (ThresholdRule rule : ThresholdRule.values()) {
            for (double f : new double[] {0.1, 0.37, 1.0, 25.0, 3e5}) {
                ErrorCalibrator rescaled = new ErrorCalibrator(CAPACITY, ALPHA, rule);
                ErrorCalibrator reference = new ErrorCalibrator(CAPACITY, ALPHA, rule);
                for (double v : e) {
                    rescaled.learn(v);
                    reference.learn(f * v);
                }
                double before = rescaled.threshold();
                rescaled.rescale(f);
                String at = rule + ", f = " + f;
                assertThat(rescaled.samples()).as(at).isEqualTo(reference.samples());
                assertThat(rescaled.threshold()).as(at).isCloseTo(reference.threshold(),
                        within(2e-3 * reference.threshold()));
                assertThat(rescaled.threshold()).as(at).isCloseTo(f * before, within(1e-12 * f * before));
                for (double q : new double[] {0.5, 3, 20, 200}) {
                    assertThat(rescaled.surprise(f * q)).as(at + ", error " + q)
                            .isCloseTo(reference.surprise(f * q), within(0.01));
                }
                // The next block completes at the same row in both: 44 more errors.
                for (int i = 0; i < 44; i++) {
                    rescaled.learn(f * 50);
                    reference.learn(f * 50);
                }
                assertThat(rescaled.threshold()).as(at + ", one block later")
                        .isCloseTo(reference.threshold(), within(2e-3 * reference.threshold()));
            }
        }
    }

    @Test
    void aRescaleByANonPositiveOrNonFiniteFactorIsRefused() {
        ErrorCalibrator c = new ErrorCalibrator(CAPACITY, ALPHA);
        for (double f : new double[] {0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> c.rescale(f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("finite and > 0");
        }
    }
}
