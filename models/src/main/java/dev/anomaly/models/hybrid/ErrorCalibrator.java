package dev.anomaly.models.hybrid;

import java.util.Arrays;

/**
 * Turns the MSE stream into a calibrated tail probability by peaks over threshold: it keeps the last
 * {@code capacity} MSEs (training included), takes their 90% quantile u and fits a generalised Pareto
 * distribution to the excesses over u (probability-weighted moments, shape xi clamped to [0, 0.9]; xi = 0 is the
 * exponential tail): P(MSE > x) = 0.1 (1 + xi (x - u) / beta)^(-1/xi) for x >= u, the empirical distribution below u. The
 * anomaly score is 1 - P(MSE > x); an MSE is an anomaly when that probability is below {@code alarmProbability},
 * i.e. above the threshold where the tail reaches it. The score is monotone in MSE, hence in MSE / threshold, and
 * crosses 1 - alarmProbability exactly at the threshold.
 */
final class ErrorCalibrator {
    static final double TAIL_FRACTION = 0.1;
    /** Floor of the tail scale, in the (normalised) error units. */
    private static final double MIN_BETA = 0.05;
    private static final int REFRESH_EVERY = 64;
    private static final double MAX_SHAPE = 0.9;

    private final double[] ring;
    private final double alarmProbability;
    private final ThresholdRule rule;
    private double mean;
    private double sd;
    private int size;
    private int next;
    private int sinceRefresh;
    private double[] sorted = new double[0];
    /**
     * The history in ascending order, kept up to date on every {@link #learn} by one removal and one insertion
     * (two memmoves instead of a sort per refresh); {@link #sorted} is its copy at the last refresh. Rebuilt by
     * sorting when {@link #liveValid} is false (after {@link #seed} or {@link #readState}); not part of the state.
     */
    private final double[] live;
    private boolean liveValid;
    private double u;
    private double beta = 1.0;
    private double xi;
    private double overrideThreshold = Double.NaN;

    ErrorCalibrator(int capacity, double alarmProbability) {
        this(capacity, alarmProbability, ThresholdRule.TAIL);
    }

    ErrorCalibrator(int capacity, double alarmProbability, ThresholdRule rule) {
        this.ring = new double[capacity];
        this.live = new double[capacity];
        this.alarmProbability = alarmProbability;
        this.rule = rule;
    }

    /** Uses a fixed MSE threshold (THRESHOLDS) instead of the calibrated one; the score stays calibrated. */
    void overrideThreshold(double threshold) {
        this.overrideThreshold = threshold;
    }

    /**
     * Adds MSEs to the history without refitting, as {@link #learn} would but in O(1) each; call {@link #refresh}
     * afterwards.
     */
    void seed(double[] mses) {
        for (double mse : mses) {
            if (Double.isFinite(mse)) {
                ring[next] = mse;
                next = (next + 1) % ring.length;
                size = Math.min(size + 1, ring.length);
            }
        }
        liveValid = false;
    }

    /** Adds an MSE to the history and refreshes the tail fit now and then. */
    void learn(double mse) {
        if (!Double.isFinite(mse)) {
            return;
        }
        if (!liveValid) {
            rebuildLive();
        }
        int n = size;
        if (n == ring.length) {
            int at = Arrays.binarySearch(live, 0, n, ring[next]);
            System.arraycopy(live, at + 1, live, at, n - at - 1);
            n--;
        }
        int insert = Arrays.binarySearch(live, 0, n, mse);
        if (insert < 0) {
            insert = -insert - 1;
        }
        System.arraycopy(live, insert, live, insert + 1, n - insert);
        live[insert] = mse;
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
        if (!liveValid) {
            rebuildLive();
        }
        if (sorted.length != size) {
            sorted = new double[size];
        }
        System.arraycopy(live, 0, sorted, 0, size);
        double sum = 0;
        double sumSquares = 0;
        for (double v : sorted) {
            sum += v;
            sumSquares += v * v;
        }
        mean = sum / size;
        sd = Math.sqrt(Math.max(sumSquares / size - mean * mean, 0));
        int k = (int) Math.floor((1.0 - TAIL_FRACTION) * (size - 1));
        u = sorted[k];
        // Probability-weighted moments (Hosking and Wallis 1987) of the excesses: linear in the data, so one
        // extreme MSE moves the fit far less than the method of moments, whose variance it would dominate.
        int m = size - 1 - k;
        if (m < 2) {
            xi = 0;
            beta = MIN_BETA;
            return;
        }
        double a0 = 0;
        double a1 = 0;
        for (int i = 0; i < m; i++) {
            double e = sorted[k + 1 + i] - u;
            double p = (i + 1 - 0.35) / m;
            a0 += e;
            a1 += (1 - p) * e;
        }
        a0 /= m;
        a1 /= m;
        double denominator = a0 - 2 * a1;
        if (!(a0 > 0) || !(denominator > 0)) {
            xi = 0;
            beta = Math.max(a0, MIN_BETA);
            return;
        }
        double shape = -(a0 / denominator - 2);
        xi = Math.max(0.0, Math.min(MAX_SHAPE, shape));
        double scale = 2 * a0 * a1 / denominator;
        beta = Math.max(xi == shape ? scale : a0 * (1 - xi), MIN_BETA);
    }

    private void rebuildLive() {
        System.arraycopy(ring, 0, live, 0, size);
        Arrays.sort(live, 0, size);
        liveValid = true;
    }

    /** P(MSE - u > e | MSE > u) under the fitted tail. */
    private double exceedance(double e) {
        if (xi < 1e-9) {
            return Math.exp(-e / beta);
        }
        return Math.pow(1.0 + xi * e / beta, -1.0 / xi);
    }

    /** The excess e over u whose exceedance probability is {@code p}. */
    private double excessAt(double p) {
        if (xi < 1e-9) {
            return -beta * Math.log(p);
        }
        return beta / xi * (Math.pow(p, -xi) - 1.0);
    }

    /** The MSE above which a point is an anomaly: the fixed one if set, else the rule's. */
    double threshold() {
        if (!Double.isNaN(overrideThreshold)) {
            return overrideThreshold;
        }
        return switch (rule) {
            case TAIL -> tailThreshold();
            case QUANTILE -> sorted.length == 0 ? tailThreshold()
                    : sorted[Math.min(sorted.length - 1, (int) Math.ceil((1 - alarmProbability) * (sorted.length - 1)))];
            case MEAN_K_SIGMA -> mean + ErrorCalibrator.normalQuantile(1 - alarmProbability) * sd;
        };
    }

    /** The MSE whose fitted tail probability is the alarm probability. */
    private double tailThreshold() {
        return u + excessAt(alarmProbability / TAIL_FRACTION);
    }

    static double normalQuantile(double p) {
        return Math.sqrt(2.0) * org.apache.commons.math3.special.Erf.erfInv(2 * p - 1);
    }

    /** Upper tail probability of {@code mse} under the fitted distribution. */
    double tailProbability(double mse) {
        if (mse >= u || sorted.length == 0) {
            return TAIL_FRACTION * exceedance(Math.max(0.0, mse - u));
        }
        int pos = Arrays.binarySearch(sorted, mse);
        int below = pos >= 0 ? pos : -pos - 1;
        return Math.max(TAIL_FRACTION, 1.0 - (double) below / sorted.length);
    }

    /**
     * Anomaly score 1 - tail probability, in [0, 1]. When the threshold in force is not the tail's own (a fixed
     * threshold or another rule) the fitted tail is shifted to it, so the score crosses 1 - alarmProbability there.
     */
    double score(double mse) {
        double shift = tailThreshold() - threshold();
        return 1.0 - Math.min(1.0, tailProbability(mse + shift));
    }

    /** True if {@code mse} is above the threshold. */
    boolean isAnomaly(double mse) {
        return mse > threshold();
    }

    /** Writes the mutable state (history ring and the current tail fit) so that {@link #readState} continues exactly. */
    void writeState(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(ring.length);
        out.writeInt(size);
        out.writeInt(next);
        out.writeInt(sinceRefresh);
        for (int i = 0; i < size; i++) {
            out.writeDouble(ring[i]);
        }
        out.writeInt(sorted.length);
        for (double v : sorted) {
            out.writeDouble(v);
        }
        out.writeDouble(mean);
        out.writeDouble(sd);
        out.writeDouble(u);
        out.writeDouble(beta);
        out.writeDouble(xi);
        out.writeDouble(overrideThreshold);
    }

    /** Restores what {@link #writeState} wrote into a calibrator of the same capacity. */
    void readState(java.io.DataInput in) throws java.io.IOException {
        int capacity = in.readInt();
        if (capacity != ring.length) {
            throw new java.io.IOException("calibration state of capacity " + capacity + ", expected " + ring.length);
        }
        size = in.readInt();
        next = in.readInt();
        sinceRefresh = in.readInt();
        if (size < 0 || size > capacity || next < 0 || next >= capacity) {
            throw new java.io.IOException("corrupt calibration state: size " + size + ", next " + next);
        }
        Arrays.fill(ring, 0.0);
        for (int i = 0; i < size; i++) {
            ring[i] = in.readDouble();
        }
        int sortedLength = in.readInt();
        if (sortedLength < 0 || sortedLength > capacity) {
            throw new java.io.IOException("corrupt calibration state: " + sortedLength + " sorted values");
        }
        liveValid = false;
        sorted = new double[sortedLength];
        for (int i = 0; i < sortedLength; i++) {
            sorted[i] = in.readDouble();
        }
        mean = in.readDouble();
        sd = in.readDouble();
        u = in.readDouble();
        beta = in.readDouble();
        xi = in.readDouble();
        overrideThreshold = in.readDouble();
    }
}
