package dev.anomaly.models.sarima;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Original-scale forecast standard errors over long horizons against the textbook Box-Jenkins formula: once a long
 * series has pinned the state down, the h-step forecast error of the integrated series is sum_{j<h} psi*_j a_{n+h-j},
 * psi* being the weights of theta(L) Theta(L^s) / (phi(L) Phi(L^s) (1-L)^d (1-L^s)^D), so its variance is
 * sigma2 sum_{j<h} psi*_j^2. The weights are computed here by polynomial long division, independently of the
 * forecaster's recursion over the differenced errors' covariances.
 */
class IntegratedForecastVarianceTest {

    @ParameterizedTest(name = "({0},{1},{2})({3},{4},{5},{6}) h={7}")
    @CsvSource({
            "1,1,1, 0,0,0,1, 300",
            "0,2,1, 0,0,0,1, 200",
            "1,1,1, 0,1,1,12, 400",
            "1,0,0, 1,1,0,7, 250",
            "0,1,1, 0,2,1,4, 150",
            "2,2,0, 0,1,0,24, 300",
    })
    void originalScaleStandardErrorsAreTheBoxJenkinsOnes(int p, int d, int q, int sp, int sd, int sq, int s, int h) {
        SarimaOrder order = sp + sd + sq == 0 ? SarimaOrder.of(p, d, q) : SarimaOrder.of(p, d, q, sp, sd, sq, s);
        SarimaSpec spec = new SarimaSpec(order, Trend.NONE);
        double[] ar = coefficients(p, 0.5, -0.2);
        double[] ma = coefficients(q, 0.4, 0.0);
        double[] sar = coefficients(sp, -0.3, 0.0);
        double[] sma = coefficients(sq, 0.5, 0.0);
        double sigma2 = 2.0;
        SarimaParams params = new SarimaParams(0.0, ar, ma, sar, sma, sigma2);
        double[] y = simulate(ar, ma, sar, sma, d, sd, s, sigma2, 3000, new Random(11));

        SarimaForecast out = new SarimaModel(spec, params).forecast(y, h);

        double[] num = multiply(lagPolynomial(ma, 1, 1.0), lagPolynomial(sma, s, 1.0));
        double[] den = multiply(lagPolynomial(ar, 1, -1.0), lagPolynomial(sar, s, -1.0));
        for (int i = 0; i < d; i++) {
            den = multiply(den, new double[] {1.0, -1.0});
        }
        for (int i = 0; i < sd; i++) {
            double[] seasonal = new double[s + 1];
            seasonal[0] = 1.0;
            seasonal[s] = -1.0;
            den = multiply(den, seasonal);
        }
        double[] psi = divide(num, den, h);
        double sum = 0.0;
        for (int t = 0; t < h; t++) {
            sum += psi[t] * psi[t];
            double expected = Math.sqrt(sigma2 * sum);
            assertThat(out.standardErrorOriginalScale()[t]).as("horizon %d", t + 1)
                    .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1e-6));
        }
    }

    private static double[] coefficients(int n, double first, double second) {
        double[] c = new double[n];
        if (n > 0) {
            c[0] = first;
        }
        if (n > 1) {
            c[1] = second;
        }
        return c;
    }

    /** 1 + sign * sum_i c_i L^{lag * (i + 1)}. */
    private static double[] lagPolynomial(double[] c, int lag, double sign) {
        double[] poly = new double[lag * c.length + 1];
        poly[0] = 1.0;
        for (int i = 0; i < c.length; i++) {
            poly[lag * (i + 1)] = sign * c[i];
        }
        return poly;
    }

    private static double[] multiply(double[] a, double[] b) {
        double[] c = new double[a.length + b.length - 1];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                c[i + j] += a[i] * b[j];
            }
        }
        return c;
    }

    /** The first n coefficients of num / den (den[0] = 1). */
    private static double[] divide(double[] num, double[] den, int n) {
        double[] q = new double[n];
        for (int j = 0; j < n; j++) {
            double v = j < num.length ? num[j] : 0.0;
            for (int i = 1; i <= j && i < den.length; i++) {
                v -= den[i] * q[j - i];
            }
            q[j] = v;
        }
        return q;
    }

    /** A SARIMA path: the seasonal ARMA simulated by its difference equation, then integrated. */
    private static double[] simulate(double[] ar, double[] ma, double[] sar, double[] sma, int d, int sd, int s,
                                     double sigma2, int n, Random random) {
        double[] phi = multiply(lagPolynomial(ar, 1, -1.0), lagPolynomial(sar, s, -1.0));
        double[] theta = multiply(lagPolynomial(ma, 1, 1.0), lagPolynomial(sma, s, 1.0));
        int burn = 500;
        double[] a = new double[n + burn];
        double[] w = new double[n + burn];
        for (int t = 0; t < n + burn; t++) {
            a[t] = Math.sqrt(sigma2) * random.nextGaussian();
            double v = 0.0;
            for (int i = 0; i < theta.length && i <= t; i++) {
                v += theta[i] * a[t - i];
            }
            for (int i = 1; i < phi.length && i <= t; i++) {
                v -= phi[i] * w[t - i];
            }
            w[t] = v;
        }
        double[] x = java.util.Arrays.copyOfRange(w, burn, n + burn);
        for (int i = 0; i < sd; i++) {
            x = integrate(x, s);
        }
        for (int i = 0; i < d; i++) {
            x = integrate(x, 1);
        }
        return x;
    }

    private static double[] integrate(double[] w, int lag) {
        double[] y = new double[w.length];
        for (int t = 0; t < w.length; t++) {
            y[t] = w[t] + (t >= lag ? y[t - lag] : 0.0);
        }
        return y;
    }
}
