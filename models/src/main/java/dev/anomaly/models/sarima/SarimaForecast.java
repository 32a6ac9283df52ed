package dev.anomaly.models.sarima;

/**
 * An h-step forecast: mean, standard error and 95% band of the differenced series, and the same integrated back
 * to the original scale. Without differencing both scales are the same.
 */
public record SarimaForecast(double[] mean, double[] standardError, double[] lower95, double[] upper95,
                             double[] meanOriginalScale, double[] standardErrorOriginalScale,
                             double[] lower95OriginalScale, double[] upper95OriginalScale) {

    /** The two-sided 95% normal quantile statsmodels uses (scipy's norm.ppf(0.975)). */
    public static final double Z95 = 1.959963984540054;

    /** Forecast horizon. */
    public int horizon() {
        return mean.length;
    }
}
