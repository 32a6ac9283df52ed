package dev.anomaly.models.sarima;

/**
 * Propagates a predicted state (a_{n+1|n}, P_{n+1|n}) h steps ahead: mean and variance of the differenced series,
 * and, through the covariances between horizons, the exact forecast variance after integrating back.
 */
final class SarimaForecaster {

    private SarimaForecaster() {
    }

    /**
     * @param history the last {@code differencing.degree()} (or more) original observations, oldest first
     */
    static SarimaForecast forecast(ArmaStateSpace model, double[] stateMean, double[] stateCovariance,
                                   Differencing differencing, double[] history, int h) {
        if (h < 0) {
            throw new SarimaException("forecast horizon must be >= 0, got " + h);
        }
        int k = model.dimension();
        double[] a = stateMean.clone();
        double[] p = stateCovariance.clone();
        double[] next = new double[k * k];
        double[] work = new double[k * k];
        double[] mean = new double[h];
        double[][] cov = new double[h][h];
        double[] column = new double[k];
        for (int i = 0; i < h; i++) {
            mean[i] = a[0];
            for (int r = 0; r < k; r++) {
                column[r] = p[r * k];
            }
            // Cov(e_j, e_i) = (T^{j-i} P_i e_1)[0] for j >= i
            cov[i][i] = column[0];
            for (int j = i + 1; j < h; j++) {
                model.multiplyByTransition(column);
                cov[j][i] = column[0];
                cov[i][j] = column[0];
            }
            model.transition(a);
            model.predictCovariance(p, next, work);
            System.arraycopy(next, 0, p, 0, p.length);
        }
        double[] se = new double[h];
        double[] lower = new double[h];
        double[] upper = new double[h];
        for (int i = 0; i < h; i++) {
            se[i] = Math.sqrt(cov[i][i]);
            lower[i] = mean[i] - SarimaForecast.Z95 * se[i];
            upper[i] = mean[i] + SarimaForecast.Z95 * se[i];
        }
        if (differencing.degree() == 0) {
            return new SarimaForecast(mean, se, lower, upper, mean.clone(), se.clone(), lower.clone(), upper.clone());
        }
        double[] meanOriginal = differencing.integrate(history, mean);
        double[] psi = differencing.integrationWeights(h);
        double[] seOriginal = new double[h];
        double[] lowerOriginal = new double[h];
        double[] upperOriginal = new double[h];
        for (int t = 0; t < h; t++) {
            double v = 0.0;
            for (int i = 0; i <= t; i++) {
                for (int j = 0; j <= t; j++) {
                    v += psi[t - i] * psi[t - j] * cov[i][j];
                }
            }
            // a horizon whose integration met a missing observation has an unknown mean, and no standard error
            seOriginal[t] = Double.isNaN(meanOriginal[t]) ? Double.NaN : Math.sqrt(Math.max(v, 0.0));
            lowerOriginal[t] = meanOriginal[t] - SarimaForecast.Z95 * seOriginal[t];
            upperOriginal[t] = meanOriginal[t] + SarimaForecast.Z95 * seOriginal[t];
        }
        return new SarimaForecast(mean, se, lower, upper, meanOriginal, seOriginal, lowerOriginal, upperOriginal);
    }
}
