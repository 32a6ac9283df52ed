package dev.anomaly.models.detection;

/**
 * What an online detector says about one observation: its prediction and residual, the predicted residual (hybrid
 * mode), the error and its short-window mean (mse), the threshold, an anomaly score in [0, 1], the decision and the
 * surprise. Fields a mode does not compute are NaN; while the detector is still warming up only {@code value} is
 * set (and the score and surprise are 0).
 *
 * <p>The surprise is -log10 of the detector's tail probability of the observation, the probability whose complement
 * is the anomaly score: the same ranking as the score, but it does not saturate where the score rounds to 1 in
 * double precision (tail probabilities below about 1e-16), so extreme observations stay comparable. It is what SMD's
 * row combination ranks by; the job's outputs carry the score only.
 */
public record Detection(double value, double prediction, double residual, double predictedResidual, double error,
                        double mse, double threshold, double anomalyScore, boolean anomaly, boolean warmingUp,
                        double surprise) {

    /**
     * A detection whose surprise is derived from the score, -log10(1 - score): for detectors that have no better
     * one (infinite where the score is 1).
     */
    public Detection(double value, double prediction, double residual, double predictedResidual, double error,
                     double mse, double threshold, double anomalyScore, boolean anomaly, boolean warmingUp) {
        this(value, prediction, residual, predictedResidual, error, mse, threshold, anomalyScore, anomaly, warmingUp,
                surpriseOfScore(anomalyScore));
    }

    /** A result for a detector that cannot score yet. */
    public static Detection warmingUp(double value) {
        return new Detection(value, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.0,
                false, true, 0.0);
    }

    /** -log10(1 - score), the surprise a score in [0, 1] stands for; NaN for NaN. */
    public static double surpriseOfScore(double anomalyScore) {
        return Math.max(0.0, -Math.log10(1.0 - anomalyScore));
    }
}
