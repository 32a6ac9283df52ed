package dev.anomaly.models.sarima;

/**
 * What {@link SarimaOnlineFilter#update} returns for one observation: the prediction made before seeing it (original
 * scale), the residual (NaN if missing), the prediction variance, and whether the filter was still collecting the
 * observations that differencing needs.
 */
public record OnlineUpdate(double prediction, double residual, double variance, boolean missing, boolean warmingUp) {

    /** Residual divided by sqrt(variance). */
    public double standardisedResidual() {
        return residual / Math.sqrt(variance);
    }
}
