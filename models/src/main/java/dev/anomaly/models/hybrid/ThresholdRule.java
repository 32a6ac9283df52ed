package dev.anomaly.models.hybrid;

/**
 * How the MSE threshold is derived from the calibration history (training MSEs, then every scored one), for an
 * alarm probability alpha. The anomaly score is always the calibrated tail probability, shifted so that it crosses
 * 1 - alpha at the threshold in force.
 */
public enum ThresholdRule {
    /** Generalised-Pareto tail above the 90% quantile: the MSE whose fitted tail probability is alpha (default). */
    TAIL,
    /** The empirical 1 - alpha quantile of the history. */
    QUANTILE,
    /** mean + k sd of the history, with k the normal 1 - alpha quantile (3.09 for alpha = 1e-3). */
    MEAN_K_SIGMA
}
