package dev.anomaly.models.hybrid;

/** Forecast of future values on the original scale with a 95% band, one entry per horizon step. */
public record HybridForecast(double[] mean, double[] lower95, double[] upper95) {

    public int horizon() {
        return mean.length;
    }
}
