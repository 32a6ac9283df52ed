package dev.anomaly.models.detection;

/**
 * What an online detector says about one observation: its prediction and residual, the predicted residual (hybrid
 * mode), the error and its short-window mean (mse), the threshold, an anomaly score in [0, 1] and the decision.
 * Fields a mode does not compute are NaN; while the detector is still warming up only {@code value} is set.
 */
public record Detection(double value, double prediction, double residual, double predictedResidual, double error,
                        double mse, double threshold, double anomalyScore, boolean anomaly, boolean warmingUp) {

    /** A result for a detector that cannot score yet. */
    public static Detection warmingUp(double value) {
        return new Detection(value, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.0,
                false, true);
    }
}
