package dev.anomaly.models.sarima;

/**
 * Variances of the forecast errors on the original scale, from the differenced series' forecast errors e_t and the
 * differencing undone: eps_t = e_t + sum_j c_j eps_{t - lag_j}, eps being 0 before the forecast origin (those values
 * are observed). With C[t][u] = Cov(e_t, e_u), F_t(u) = Cov(e_t, eps_u) = C[t][u] + sum_j c_j F_t(u - lag_j) and
 * G(t, u) = Cov(eps_t, eps_u) = F_t(u) + sum_j c_j G(t - lag_j, u); only the band |t - u| <= L (the largest lag) of
 * G is ever needed. Time O(h^2 (k + m)) and memory O(h k + L^2) for h horizons, a k-dimensional state and m non-zero
 * lags, where summing psi-weighted covariances directly takes O(h^3) time and O(h^2) memory.
 */
final class IntegratedForecastVariance {

    private IntegratedForecastVariance() {
    }

    /**
     * @param model the state space whose transition carries the covariances forward
     * @param firstColumns per horizon t (0-based), the first column of the state prediction covariance P_{n+t+1|n};
     *                     its entries are overwritten
     * @param lags the non-zero lags of the differencing, ascending
     * @param coefficients their coefficients c_j (y_t = w_t + sum_j c_j y_{t - lag_j})
     * @return Var(eps_t) for each horizon
     */
    static double[] of(ArmaStateSpace model, double[][] firstColumns, int[] lags, double[] coefficients) {
        int h = firstColumns.length;
        int span = lags.length == 0 ? 0 : lags[lags.length - 1];
        double[][] band = new double[span + 1][span + 1];
        double[] f = new double[h];
        double[] variance = new double[h];
        for (int t = 0; t < h; t++) {
            // v_u = T^{t-u} P_u e_1, whose first entry is C[t][u]
            for (int u = 0; u < t; u++) {
                model.multiplyByTransition(firstColumns[u]);
            }
            for (int u = 0; u <= t; u++) {
                double s = firstColumns[u][0];
                for (int j = 0; j < lags.length && lags[j] <= u; j++) {
                    s += coefficients[j] * f[u - lags[j]];
                }
                f[u] = s;
            }
            double[] row = band[t % (span + 1)];
            for (int u = Math.max(0, t - span); u <= t; u++) {
                double s = f[u];
                for (int j = 0; j < lags.length && lags[j] <= t; j++) {
                    s += coefficients[j] * covariance(band, span, t - lags[j], u);
                }
                row[t - u] = s;
            }
            variance[t] = row[0];
        }
        return variance;
    }

    /** G(a, b) from the band; both rows lie within the last span + 1 horizons, |a - b| <= span. */
    private static double covariance(double[][] band, int span, int a, int b) {
        return a >= b ? band[a % (span + 1)][a - b] : band[b % (span + 1)][b - a];
    }
}
