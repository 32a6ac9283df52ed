package dev.anomaly.models.sarima;

import java.util.Arrays;

/**
 * The differencing operator (1-L)^d (1-L^s)^D applied up front (statsmodels' simple differencing) and its inverse,
 * used to integrate forecasts of the differenced series back to the original scale.
 */
public final class Differencing {
    private final int degree;
    private final int[] lags;
    private final double[] coefficients;

    /** The operator for the d, D and s of {@code order}. */
    public Differencing(SarimaOrder order) {
        double[] delta = LagPolynomials.differencing(order.d(), order.seasonalD(), order.period());
        this.degree = delta.length;
        int nonZero = 0;
        for (double v : delta) {
            if (v != 0.0) {
                nonZero++;
            }
        }
        lags = new int[nonZero];
        coefficients = new double[nonZero];
        int j = 0;
        for (int k = 0; k < delta.length; k++) {
            if (delta[k] != 0.0) {
                lags[j] = k + 1;
                coefficients[j++] = delta[k];
            }
        }
    }

    /** The lags of the non-zero coefficients, ascending (a copy). */
    int[] lags() {
        return lags.clone();
    }

    /** The coefficients c_j of {@link #lags()}: y_t = w_t + sum_j c_j y_{t - lag_j} (a copy). */
    double[] coefficients() {
        return coefficients.clone();
    }

    /** Number of observations lost at the start (d + s*D). */
    public int degree() {
        return degree;
    }

    /** The differenced series w_t = y_t - sum_k delta_k y_{t-k} for t >= degree (NaN wherever an input is NaN). */
    public double[] apply(double[] y) {
        if (y.length <= degree) {
            return new double[0];
        }
        double[] w = new double[y.length - degree];
        for (int t = degree; t < y.length; t++) {
            w[t - degree] = y[t] - lagSum(y, t);
        }
        return w;
    }

    /** sum_k delta_k y_{t-k}: the part of y_t that is known from the past. */
    public double lagSum(double[] y, int t) {
        double s = 0.0;
        for (int j = 0; j < lags.length; j++) {
            s += coefficients[j] * y[t - lags[j]];
        }
        return s;
    }

    /** The same sum over a ring buffer whose newest value is at {@code newest} (lag 1). */
    double lagSumRing(double[] ring, int newest) {
        double s = 0.0;
        int n = ring.length;
        for (int j = 0; j < lags.length; j++) {
            int idx = newest - (lags[j] - 1);
            if (idx < 0) {
                idx += n;
            }
            s += coefficients[j] * ring[idx];
        }
        return s;
    }

    /** Integrates forecasts of w following the observed {@code history} back to forecasts of y. */
    public double[] integrate(double[] history, double[] differencedForecast) {
        if (history.length < degree) {
            throw new SarimaException("need at least " + degree + " observations to undo differencing, got "
                    + history.length);
        }
        double[] extended = Arrays.copyOf(history, history.length + differencedForecast.length);
        for (int h = 0; h < differencedForecast.length; h++) {
            int t = history.length + h;
            extended[t] = differencedForecast[h] + lagSum(extended, t);
        }
        return Arrays.copyOfRange(extended, history.length, extended.length);
    }
}
