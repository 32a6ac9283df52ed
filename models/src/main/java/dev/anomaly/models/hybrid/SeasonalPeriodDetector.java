package dev.anomaly.models.hybrid;

/**
 * Picks a seasonal period from the sample autocorrelation: the lag in 2..maxPeriod with the highest autocorrelation
 * that is a local peak and clearly positive, or 0 when there is none.
 */
public final class SeasonalPeriodDetector {
    /** Autocorrelation a peak needs to count as seasonality. */
    static final double MIN_AUTOCORRELATION = 0.3;

    private SeasonalPeriodDetector() {
    }

    /** The detected period of {@code y} (NaN ignored), or 0. */
    public static int detect(double[] y, int maxPeriod) {
        double[] x = Autocorrelation.finiteDemeaned(y);
        int maxLag = Math.min(maxPeriod + 1, x.length / 2);
        if (maxLag < 3) {
            return 0;
        }
        double[] acf = Autocorrelation.of(x, maxLag);
        // A seasonal lag must be a local peak, not just large: a slowly decaying ACF (a trend, a persistent AR) has none.
        int best = 0;
        double bestValue = MIN_AUTOCORRELATION;
        for (int lag = 2; lag < maxLag; lag++) {
            if (acf[lag] > acf[lag - 1] && acf[lag] >= acf[lag + 1] && acf[lag] > bestValue) {
                best = lag;
                bestValue = acf[lag];
            }
        }
        return best;
    }
}
