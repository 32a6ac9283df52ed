package dev.anomaly.models.sarima;

/**
 * Propagates a predicted state (a_{n+1|n}, P_{n+1|n}) h steps ahead: mean and variance of the differenced series,
 * and, through the covariances between horizons, the exact forecast variance after integrating back
 * ({@link IntegratedForecastVariance}).
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
        double[] se = new double[h];
        double[] lower = new double[h];
        double[] upper = new double[h];
        boolean integrated = differencing.degree() > 0;
        double[][] firstColumns = new double[integrated ? h : 0][];
        for (int i = 0; i < h; i++) {
            mean[i] = a[0];
            se[i] = Math.sqrt(p[0]);
            lower[i] = mean[i] - SarimaForecast.Z95 * se[i];
            upper[i] = mean[i] + SarimaForecast.Z95 * se[i];
            if (integrated) {
                double[] column = new double[k];
                for (int r = 0; r < k; r++) {
                    column[r] = p[r * k];
                }
                firstColumns[i] = column;
            }
            model.transition(a);
            model.predictCovariance(p, next, work);
            System.arraycopy(next, 0, p, 0, p.length);
        }
        if (!integrated) {
            return new SarimaForecast(mean, se, lower, upper, mean.clone(), se.clone(), lower.clone(), upper.clone());
        }
        double[] meanOriginal = differencing.integrate(history, mean);
        double[] variance = IntegratedForecastVariance.of(model, firstColumns, differencing.lags(),
                differencing.coefficients());
        double[] seOriginal = new double[h];
        double[] lowerOriginal = new double[h];
        double[] upperOriginal = new double[h];
        for (int t = 0; t < h; t++) {
            // a horizon whose integration met a missing observation has an unknown mean, and no standard error
            seOriginal[t] = Double.isNaN(meanOriginal[t]) ? Double.NaN : Math.sqrt(Math.max(variance[t], 0.0));
            lowerOriginal[t] = meanOriginal[t] - SarimaForecast.Z95 * seOriginal[t];
            upperOriginal[t] = meanOriginal[t] + SarimaForecast.Z95 * seOriginal[t];
        }
        return new SarimaForecast(mean, se, lower, upper, meanOriginal, seOriginal, lowerOriginal, upperOriginal);
    }
}
