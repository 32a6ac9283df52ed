package dev.anomaly.models.hybrid;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Turns the MSE stream into a calibrated tail probability by peaks over threshold over the last {@code capacity}
 * MSEs (training included): their 90% quantile u and a generalised Pareto distribution fitted to the excesses over
 * u (probability-weighted moments, shape xi clamped to [0, 0.9]; xi = 0 is the exponential tail):
 * P(MSE > x) = 0.1 (1 + xi (x - u) / beta)^(-1/xi) for x >= u. The anomaly score is 1 - P(MSE > x); an MSE is an
 * anomaly when that probability is below {@code alarmProbability}, i.e. above the threshold where the tail reaches
 * it. The score is monotone in MSE, hence in MSE / threshold, and crosses 1 - alarmProbability exactly at the
 * threshold.
 *
 * <p>The history is a {@link BlockTailWindow}: blocks of 64 rows of the stream (64 MSEs, fewer where rows had
 * none) of which only the 8 largest MSEs are kept (16-bit log codes), about 1 KiB instead of 64 KiB per series. u is
 * the value of the same rank as before among N = the samples the window represents, found among the kept values,
 * and the fit uses the kept values above it: both are those of the full window (to the codes' 6.8e-4) while no
 * block holds more than 8 values above u; a burst is capped at 8 per block on purpose. The fit is refreshed
 * whenever a block completes, every 64 rows ({@link #skipRow} counts the rows without an MSE). Below u the
 * values are not kept, so P(MSE > x) = 1 - 0.9 x / u there: monotone, continuous at u, 1 at 0; only the score uses
 * it, never the decision. The QUANTILE rule takes its quantile among the kept values by the same ranks;
 * MEAN_K_SIGMA uses exact per-block sums.
 */
final class ErrorCalibrator {
    static final double TAIL_FRACTION = 0.1;
    /** Floor of the tail scale, in the (normalised) error units. */
    private static final double MIN_BETA = 0.05;
    private static final double MAX_SHAPE = 0.9;

    private final int capacity;
    private final BlockTailWindow window;
    private final double alarmProbability;
    private final ThresholdRule rule;
    private double mean;
    private double sd;
    /** The QUANTILE rule's threshold at the last refresh; NaN before the first one. */
    private double quantile = Double.NaN;
    private double u;
    private double beta = 1.0;
    private double xi;
    private double overrideThreshold = Double.NaN;

    ErrorCalibrator(int capacity, double alarmProbability) {
        this(capacity, alarmProbability, ThresholdRule.TAIL);
    }

    ErrorCalibrator(int capacity, double alarmProbability, ThresholdRule rule) {
        this.capacity = capacity;
        this.window = new BlockTailWindow(capacity, rule == ThresholdRule.MEAN_K_SIGMA);
        this.alarmProbability = alarmProbability;
        this.rule = rule;
    }

    /** Uses a fixed MSE threshold (THRESHOLDS) instead of the calibrated one; the score stays calibrated. */
    void overrideThreshold(double threshold) {
        this.overrideThreshold = threshold;
    }

    /**
     * Adds MSEs (oldest first) to the history without refitting, in O(1) each, as blocks that end with the last
     * of them (so the next refresh comes 64 {@link #learn}s later); call {@link #refresh} afterwards.
     */
    void seed(double[] mses) {
        double[] finite = Arrays.stream(mses).filter(Double::isFinite).toArray();
        window.addAligned(finite, Math.max(0, finite.length - capacity), finite.length);
    }

    /**
     * Expresses the calibration in other units: every MSE of the history multiplied by {@code factor} (finite, > 0),
     * and the fit of the last refresh with it (the tail's start and scale, the quantile, the mean and standard
     * deviation; the shape does not depend on the units), so that the next refresh still comes at the end of the
     * block being filled. The tail's scale keeps its floor. A fixed threshold (THRESHOLDS) stays as it was set.
     */
    void rescale(double factor) {
        window.rescale(factor);
        u *= factor;
        beta = Math.max(beta * factor, MIN_BETA);
        quantile *= factor;
        mean *= factor;
        sd *= factor;
    }

    /** Adds an MSE to the history and refreshes the tail fit when that completes a block. */
    void learn(double mse) {
        if (!Double.isFinite(mse)) {
            return;
        }
        if (window.add(mse)) {
            refresh();
        }
    }

    /**
     * Counts a row of the stream without an MSE (warming up, a missing sample), so that refreshes come every
     * {@link BlockTailWindow#BLOCK} rows whichever row the first MSE came at; refreshes when that completes a block.
     */
    void skipRow() {
        if (window.skipRow()) {
            refresh();
        }
    }

    /** The errors the history represents (kept or not). */
    int samples() {
        return window.samples();
    }

    /** Refits u and beta (and the other rules' thresholds) on the history. */
    void refresh() {
        int n = window.samples();
        if (n == 0) {
            return;
        }
        double[] kept = window.storedAscending();
        if (rule == ThresholdRule.MEAN_K_SIGMA) {
            mean = window.sum() / n;
            sd = Math.sqrt(Math.max(window.sumOfSquares() / n - mean * mean, 0));
        }
        if (rule == ThresholdRule.QUANTILE) {
            int fromTop = n - (int) Math.ceil((1 - alarmProbability) * (n - 1));
            quantile = kept[Math.max(0, kept.length - fromTop)];
        }
        // u has rank k (ascending) of n: m = n - 1 - k values lie above it, the largest m kept ones.
        int k = (int) Math.floor((1.0 - TAIL_FRACTION) * (n - 1));
        int uAt = Math.max(0, kept.length - 1 - (n - 1 - k));
        u = kept[uAt];
        // Probability-weighted moments (Hosking and Wallis 1987) of the excesses: linear in the data, so one
        // extreme MSE moves the fit far less than the method of moments, whose variance it would dominate.
        int m = kept.length - 1 - uAt;
        if (m < 2) {
            xi = 0;
            beta = MIN_BETA;
            return;
        }
        double a0 = 0;
        double a1 = 0;
        for (int i = 0; i < m; i++) {
            double e = kept[uAt + 1 + i] - u;
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

    /** The start u of the fitted tail (the 90% quantile), for tests and diagnostics. */
    double tailStart() {
        return u;
    }

    /** The fitted tail's scale beta, for tests and diagnostics. */
    double tailScale() {
        return beta;
    }

    /** The fitted tail's shape xi, for tests and diagnostics. */
    double tailShape() {
        return xi;
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
            case QUANTILE -> Double.isNaN(quantile) ? tailThreshold() : quantile;
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

    /** Upper tail probability of {@code mse}: the fitted tail from u on, 1 - 0.9 mse / u below it. */
    double tailProbability(double mse) {
        if (mse >= u || !(u > 0)) {
            return TAIL_FRACTION * exceedance(Math.max(0.0, mse - u));
        }
        return 1.0 - (1.0 - TAIL_FRACTION) * Math.max(0.0, mse) / u;
    }

    /**
     * Anomaly score 1 - tail probability, in [0, 1]. When the threshold in force is not the tail's own (a fixed
     * threshold or another rule) the fitted tail is shifted to it, so the score crosses 1 - alarmProbability there.
     */
    double score(double mse) {
        double shift = tailThreshold() - threshold();
        return 1.0 - Math.min(1.0, tailProbability(mse + shift));
    }

    /**
     * The surprise of {@code mse}: -log10 of the tail probability that {@link #score} is 1 minus, computed in log
     * space so that it keeps growing where the score has rounded to 1 (tail probabilities below about 1e-16).
     * 1 - 10^-surprise equals the score up to rounding; 0 at MSE 0, 3 at a tail probability of 10^-3.
     */
    double surprise(double mse) {
        double x = mse + (tailThreshold() - threshold());
        double log10Probability;
        if (x >= u || !(u > 0)) {
            double e = Math.max(0.0, x - u);
            double lnExceedance = xi < 1e-9 ? -e / beta : -Math.log1p(xi * e / beta) / xi;
            log10Probability = Math.log10(TAIL_FRACTION) + lnExceedance / Math.log(10.0);
        } else {
            log10Probability = Math.log10(1.0 - (1.0 - TAIL_FRACTION) * Math.max(0.0, x) / u);
        }
        return Math.max(0.0, -log10Probability);
    }

    /** True if {@code mse} is above the threshold. */
    boolean isAnomaly(double mse) {
        return mse > threshold();
    }

    /**
     * Writes the mutable state so that {@link #readState} continues exactly: the capacity, the blocks, the current
     * fit (u, beta, xi; the quantile for QUANTILE, mean and sd for MEAN_K_SIGMA) and the fixed threshold (written
     * for the format's sake; a restore takes the model's instead).
     */
    void writeState(DataOutput out) throws IOException {
        out.writeInt(capacity);
        window.writeState(out);
        out.writeDouble(u);
        out.writeDouble(beta);
        out.writeDouble(xi);
        if (rule == ThresholdRule.QUANTILE) {
            out.writeDouble(quantile);
        }
        if (rule == ThresholdRule.MEAN_K_SIGMA) {
            out.writeDouble(mean);
            out.writeDouble(sd);
        }
        out.writeDouble(overrideThreshold);
    }

    /**
     * Restores what {@link #writeState} wrote into a fresh calibrator of the same capacity and rule; without
     * {@code withBlockRows} (detector formats 3 and 4) the block being filled spans just its MSEs.
     */
    void readState(DataInput in, boolean withBlockRows) throws IOException {
        readCapacity(in);
        window.readState(in, withBlockRows);
        u = in.readDouble();
        beta = in.readDouble();
        xi = in.readDouble();
        if (rule == ThresholdRule.QUANTILE) {
            quantile = in.readDouble();
        }
        if (rule == ThresholdRule.MEAN_K_SIGMA) {
            mean = in.readDouble();
            sd = in.readDouble();
        }
        // The fixed threshold written is not restored: the model this calibrator was built for carries the one in
        // force now (THRESHOLDS may have changed or gone across the restore), and it was set at construction.
        in.readDouble();
    }

    /**
     * Restores the state of detector formats 1 and 2 (the last MSEs as a ring, its sorted copy at the last refresh,
     * the fit) into a fresh calibrator: the ring, in time order, becomes blocks such that the values learned since
     * the last refresh are the block being filled, so the next refresh comes when it would have; the fit in force
     * is kept as it was.
     */
    void readLegacyState(DataInput in) throws IOException {
        readCapacity(in);
        int size = in.readInt();
        int next = in.readInt();
        int sinceRefresh = in.readInt();
        if (size < 0 || size > capacity || next < 0 || next >= capacity || sinceRefresh < 0) {
            throw new IOException("corrupt calibration state: size " + size + ", next " + next);
        }
        double[] ring = new double[size];
        for (int i = 0; i < size; i++) {
            ring[i] = in.readDouble();
        }
        // Until the ring is full it fills from 0; once full, its oldest value is at next.
        double[] inOrder = new double[size];
        int oldest = size == capacity ? next : 0;
        for (int i = 0; i < size; i++) {
            inOrder[i] = ring[(oldest + i) % size];
        }
        int sortedLength = in.readInt();
        if (sortedLength < 0 || sortedLength > capacity) {
            throw new IOException("corrupt calibration state: " + sortedLength + " sorted values");
        }
        double[] sorted = new double[sortedLength];
        for (int i = 0; i < sortedLength; i++) {
            sorted[i] = in.readDouble();
        }
        int current = Math.min(Math.min(sinceRefresh, size), BlockTailWindow.BLOCK - 1);
        window.addAligned(inOrder, 0, size - current);
        for (int i = size - current; i < size; i++) {
            window.add(inOrder[i]);
        }
        quantile = sortedLength == 0 ? Double.NaN
                : sorted[Math.min(sortedLength - 1, (int) Math.ceil((1 - alarmProbability) * (sortedLength - 1)))];
        mean = in.readDouble();
        sd = in.readDouble();
        u = in.readDouble();
        beta = in.readDouble();
        xi = in.readDouble();
        in.readDouble(); // the fixed threshold: the model's own is in force (see readState)
    }

    private void readCapacity(DataInput in) throws IOException {
        int written = in.readInt();
        if (written != capacity) {
            throw new IOException("calibration state of capacity " + written + ", expected " + capacity);
        }
    }
}
