package dev.anomaly.models.sarima;

/**
 * One-step-ahead results of filtering a (differenced) series: predictions E[w_t | w_0..w_{t-1}], raw residuals,
 * their variances F_t, per-observation log-likelihood terms (NaN where the observation was missing) and the total.
 */
public record OneStepPredictions(double[] predicted, double[] residuals, double[] predictionVariance,
                                 double[] logLikelihoodTerms, double logLikelihood, int observed) {

    /** Number of time points. */
    public int size() {
        return predicted.length;
    }

    /** Residuals divided by their standard deviation sqrt(F_t). */
    public double[] standardisedResiduals() {
        double[] out = new double[residuals.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = residuals[t] / Math.sqrt(predictionVariance[t]);
        }
        return out;
    }
}
