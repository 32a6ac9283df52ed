package dev.anomaly.models.hybrid;

import java.util.Arrays;

/**
 * Turns the MSE stream into a calibrated tail probability by peaks over threshold: it keeps the last
 * {@code capacity} MSEs (training included), takes their 90% quantile u and the mean excess beta of the values
 * above it, and models the upper tail as exponential: P(MSE > x) = 0.1 exp(-(x - u) / beta) for x >= u (the
 * empirical distribution below u). The anomaly score is 1 - P(MSE > x); an MSE is an anomaly when that tail
 * probability is below {@code alarmProbability}, i.e. above the threshold u + beta ln(0.1 / alarmProbability).
 * Above u the score is 1 - alarmProbability * exp(-(x - threshold) / beta): monotone in MSE / threshold.
 */
final class ErrorCalibrator {
    static final double TAIL_FRACTION = 0.1;
    /** Floor of the tail scale, in the (normalised) error units. */
    private static final double MIN_BETA = 0.05;
    private static final int REFRESH_EVERY = 64;

    private final double[] ring;
    private final double alarmProbability;
    private final double tailSpan;
    private int size;
    private int next;
    private int sinceRefresh;
    private double[] sorted = new double[0];
    private double u;
    private double beta = 1.0;
    private double overrideThreshold = Double.NaN;

    ErrorCalibrator(int capacity, double alarmProbability) {
        this.ring = new double[capacity];
        this.alarmProbability = alarmProbability;
        this.tailSpan = Math.log(TAIL_FRACTION / alarmProbability);
    }

    /** Uses a fixed MSE threshold (THRESHOLDS) instead of the calibrated one; the score stays calibrated. */
    void overrideThreshold(double threshold) {
        this.overrideThreshold = threshold;
    }

    /** Adds an MSE to the history and refreshes the tail fit now and then. */
    void learn(double mse) {
        if (!Double.isFinite(mse)) {
            return;
        }
        ring[next] = mse;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        if (++sinceRefresh >= REFRESH_EVERY) {
            refresh();
        }
    }

    /** Refits u and beta on the history. */
    void refresh() {
        sinceRefresh = 0;
        if (size == 0) {
            return;
        }
        sorted = Arrays.copyOf(ring, size);
        Arrays.sort(sorted);
        int k = (int) Math.floor((1.0 - TAIL_FRACTION) * (size - 1));
        u = sorted[k];
        double excess = 0;
        int count = 0;
        for (int i = k + 1; i < size; i++) {
            excess += sorted[i] - u;
            count++;
        }
        beta = Math.max(count == 0 ? 0 : excess / count, MIN_BETA);
    }

    /** The MSE above which a point is an anomaly. */
    double threshold() {
        return Double.isNaN(overrideThreshold) ? u + beta * tailSpan : overrideThreshold;
    }

    /** Upper tail probability of {@code mse} under the fitted distribution. */
    double tailProbability(double mse) {
        if (mse >= u || sorted.length == 0) {
            return TAIL_FRACTION * Math.exp(-(mse - u) / beta);
        }
        int pos = Arrays.binarySearch(sorted, mse);
        int below = pos >= 0 ? pos : -pos - 1;
        return Math.max(TAIL_FRACTION, 1.0 - (double) below / sorted.length);
    }

    /** Anomaly score 1 - tail probability, in [0, 1]. */
    double score(double mse) {
        if (!Double.isNaN(overrideThreshold)) {
            // Same shape, anchored at the configured threshold: the score crosses 1 - alarmProbability there.
            return 1.0 - Math.min(1.0, alarmProbability * Math.exp(-(mse - overrideThreshold) / beta));
        }
        return 1.0 - Math.min(1.0, tailProbability(mse));
    }

    /** True if {@code mse} is above the threshold. */
    boolean isAnomaly(double mse) {
        return mse > threshold();
    }

    /** The calibration state: counters, fit and ring, for checkpointing. */
    double[] state() {
        double[] s = new double[5 + ring.length];
        s[0] = size;
        s[1] = next;
        s[2] = sinceRefresh;
        s[3] = u;
        s[4] = beta;
        System.arraycopy(ring, 0, s, 5, ring.length);
        return s;
    }

    void restore(double[] s) {
        if (s.length != 5 + ring.length) {
            throw new IllegalArgumentException("calibrator state has " + (s.length - 5) + " values, expected "
                    + ring.length);
        }
        size = (int) s[0];
        next = (int) s[1];
        System.arraycopy(s, 5, ring, 0, ring.length);
        int saved = (int) s[2];
        refresh();
        sinceRefresh = saved;
        u = s[3];
        beta = s[4];
    }
}
