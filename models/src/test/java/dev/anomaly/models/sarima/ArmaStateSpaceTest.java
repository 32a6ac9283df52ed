package dev.anomaly.models.sarima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The closed-form stationary covariance against an independent solution of P = T P T' + sigma2 R R' by the
 * doubling algorithm on dense matrices.
 */
class ArmaStateSpaceTest {
    private static final Random RANDOM = new Random(42);

    @RepeatedTest(30)
    void stationaryCovarianceSolvesTheLyapunovEquation() {
        int s = 2 + RANDOM.nextInt(24);
        SarimaOrder order = SarimaOrder.of(RANDOM.nextInt(3), 0, RANDOM.nextInt(3), RANDOM.nextInt(2), 0,
                RANDOM.nextInt(3), s);
        SarimaSpec spec = new SarimaSpec(order, Trend.CONSTANT);
        double[] x = new double[order.p() + order.q() + order.seasonalP() + order.seasonalQ()];
        for (int i = 0; i < x.length; i++) {
            x[i] = RANDOM.nextGaussian() * 1.5;
        }
        int i = 0;
        double[] ar = StationarityTransform.constrain(java.util.Arrays.copyOfRange(x, i, i += order.p()));
        double[] ma = StationarityTransform.constrain(java.util.Arrays.copyOfRange(x, i, i += order.q()));
        double[] sar = StationarityTransform.constrain(java.util.Arrays.copyOfRange(x, i, i += order.seasonalP()));
        double[] sma = StationarityTransform.constrain(java.util.Arrays.copyOfRange(x, i, i += order.seasonalQ()));
        ArmaStateSpace ss = new ArmaStateSpace(spec, new SarimaParams(0.3, ar, ma, sar, sma, 0.7));
        double[] expected = doubling(ss);
        double[] got = ss.stationaryCovariance();
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int j = 0; j < got.length; j++) {
            assertThat(Math.abs(got[j] - expected[j])).as("P[%d] of %s", j, order).isLessThanOrEqualTo(1e-9 * scale);
        }
    }

    @Test
    void explosiveArIsRejected() {
        SarimaSpec spec = new SarimaSpec(SarimaOrder.of(1, 0, 0), Trend.NONE);
        ArmaStateSpace ss = new ArmaStateSpace(spec, new SarimaParams(0, new double[] {1.2}, new double[0],
                new double[0], new double[0], 1.0));
        assertThatThrownBy(ss::stationaryCovariance).isInstanceOf(SarimaException.class)
                .hasMessageContaining("not stationary");
    }

    /** Smith's doubling: P = sum_j T^j Q T'^j, summed 2^n terms at a time, on dense matrices. */
    private static double[] doubling(ArmaStateSpace ss) {
        int k = ss.dimension();
        double[] a = new double[k * k];
        for (int c = 0; c < k; c++) {
            double[] e = new double[k];
            e[c] = 1;
            ss.multiplyByTransition(e);
            for (int r = 0; r < k; r++) {
                a[r * k + c] = e[r];
            }
        }
        double[] zero = new double[k * k];
        double[] q = new double[k * k];
        double[] work = new double[k * k];
        // Q = T 0 T' + sigma2 R R'
        ss.predictCovariance(zero, q, work);
        double[] p = q.clone();
        for (int iter = 0; iter < 60; iter++) {
            double[] apa = multiply(multiply(a, p, k), transpose(a, k), k);
            for (int j = 0; j < p.length; j++) {
                p[j] += apa[j];
            }
            a = multiply(a, a, k);
        }
        return p;
    }

    private static double[] multiply(double[] x, double[] y, int k) {
        double[] out = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) {
                    s += x[i * k + l] * y[l * k + j];
                }
                out[i * k + j] = s;
            }
        }
        return out;
    }

    private static double[] transpose(double[] x, int k) {
        double[] out = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                out[j * k + i] = x[i * k + j];
            }
        }
        return out;
    }
}
