package dev.anomaly.models.sarima;

/**
 * Maps unconstrained reals to the coefficients of a stationary AR polynomial 1 - sum c_i L^i and back, through
 * partial autocorrelations r = x / sqrt(1 + x^2) and the Durbin-Levinson recursion (Monahan 1984; statsmodels'
 * {@code constrain_stationary_univariate}). For an MA polynomial 1 + sum c_i L^i the caller negates the result.
 */
public final class StationarityTransform {

    private StationarityTransform() {
    }

    /** Coefficients of a stationary AR polynomial from unconstrained values. */
    public static double[] constrain(double[] unconstrained) {
        int n = unconstrained.length;
        double[] prev = new double[n];
        double[] cur = new double[n];
        for (int k = 0; k < n; k++) {
            double x = unconstrained[k];
            double r = x / Math.sqrt(1.0 + x * x);
            for (int i = 0; i < k; i++) {
                cur[i] = prev[i] + r * prev[k - i - 1];
            }
            cur[k] = r;
            System.arraycopy(cur, 0, prev, 0, k + 1);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = -prev[i];
        }
        return out;
    }

    /**
     * Unconstrained values of stationary AR coefficients: the inverse of {@link #constrain}.
     *
     * @throws SarimaException if the coefficients are not stationary
     */
    public static double[] unconstrain(double[] constrained) {
        int n = constrained.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = -constrained[i];
        }
        double[] r = new double[n];
        for (int k = n - 1; k >= 0; k--) {
            double rk = y[k];
            if (!(Math.abs(rk) < 1.0)) {
                throw new SarimaException("coefficients " + java.util.Arrays.toString(constrained)
                        + " are not stationary/invertible (partial autocorrelation " + rk + ")");
            }
            r[k] = rk;
            double[] prev = new double[k];
            double denom = 1.0 - rk * rk;
            for (int i = 0; i < k; i++) {
                prev[i] = (y[i] - rk * y[k - i - 1]) / denom;
            }
            System.arraycopy(prev, 0, y, 0, k);
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r[i] / Math.sqrt(1.0 - r[i] * r[i]);
        }
        return x;
    }

    /** True if 1 - sum c_i L^i has all roots outside the unit circle (with a safety margin on the PACFs). */
    public static boolean isStationary(double[] coefficients, double maxPartialAutocorrelation) {
        try {
            double[] x = unconstrain(coefficients);
            for (double v : x) {
                double r = Math.abs(v) / Math.sqrt(1.0 + v * v);
                if (!(r <= maxPartialAutocorrelation)) {
                    return false;
                }
            }
            return true;
        } catch (SarimaException e) {
            return false;
        }
    }
}
