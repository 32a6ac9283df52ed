package dev.anomaly.models.hybrid;

/**
 * Turns the MSE stream into a calibrated tail probability by peaks over threshold: it keeps a log-spaced histogram
 * of the recent MSEs (training included; {@link #BINS_PER_OCTAVE} bins per doubling, so a value is known to within
 * ~9%, and within-bin values are spread log-uniformly), takes their 90% quantile u and fits a generalised Pareto
 * distribution to the excesses over u (probability-weighted moments, shape xi clamped to [0, 0.9]; xi = 0 is the
 * exponential tail): P(MSE > x) = 0.1 (1 + xi (x - u) / beta)^(-1/xi) for x >= u, the empirical distribution below
 * u. The anomaly score is 1 - P(MSE > x); an MSE is an anomaly when that probability is below
 * {@code alarmProbability}, i.e. above the threshold where the tail reaches it. The score is monotone in MSE, hence
 * in MSE / threshold, and crosses 1 - alarmProbability exactly at the threshold.
 *
 * <p>Memory: the histogram replaces a ring of the last {@code capacity} MSEs (64 KiB of state per series with its
 * sorted copy); serialised sparsely it takes a few hundred bytes. Forgetting: when the histogram holds more than
 * {@code capacity} values every count is halved (rounding down), so old MSEs fade out geometrically instead of
 * leaving a ring all at once. The mean and standard deviation (for {@link ThresholdRule#MEAN_K_SIGMA}) are exact
 * running sums, halved with the counts.
 */
final class ErrorCalibrator {
    static final double TAIL_FRACTION = 0.1;
    /** Histogram resolution: bins per doubling of the MSE (bin width ratio 2^(1/8) ~ 1.09). */
    static final int BINS_PER_OCTAVE = 8;
    private static final int MIN_EXPONENT = -30;
    private static final int MAX_EXPONENT = 30;
    static final int BINS = (MAX_EXPONENT - MIN_EXPONENT) * BINS_PER_OCTAVE;
    /** Lower edge of each bin, and the upper edge of the last; values outside are clamped into the end bins. */
    private static final double[] EDGES = new double[BINS + 1];

    static {
        for (int b = 0; b <= BINS; b++) {
            EDGES[b] = Math.pow(2.0, MIN_EXPONENT + (double) b / BINS_PER_OCTAVE);
        }
    }

    /** Floor of the tail scale, in the (normalised) error units. */
    private static final double MIN_BETA = 0.05;
    private static final int REFRESH_EVERY = 64;
    private static final double MAX_SHAPE = 0.9;

    private final int capacity;
    private final int[] counts = new int[BINS];
    private final double alarmProbability;
    private final ThresholdRule rule;
    private int size;
    private double sum;
    private double sumSquares;
    private int sinceRefresh;
    private boolean fitted;
    private double mean;
    private double sd;
    private double u;
    private double beta = 1.0;
    private double xi;
    private double quantile;
    private double overrideThreshold = Double.NaN;

    ErrorCalibrator(int capacity, double alarmProbability) {
        this(capacity, alarmProbability, ThresholdRule.TAIL);
    }

    ErrorCalibrator(int capacity, double alarmProbability, ThresholdRule rule) {
        if (capacity < 2) {
            throw new IllegalArgumentException("calibration capacity must be >= 2, got " + capacity);
        }
        this.capacity = capacity;
        this.alarmProbability = alarmProbability;
        this.rule = rule;
    }

    /** Uses a fixed MSE threshold (THRESHOLDS) instead of the calibrated one; the score stays calibrated. */
    void overrideThreshold(double threshold) {
        this.overrideThreshold = threshold;
    }

    static int bin(double x) {
        if (!(x > EDGES[0])) {
            return 0;
        }
        int b = (int) Math.floor((Math.log(x) * (1.0 / Math.log(2.0)) - MIN_EXPONENT) * BINS_PER_OCTAVE);
        // Guard against rounding at the edges so that EDGES[b] <= x < EDGES[b + 1] holds exactly.
        if (b >= BINS) {
            return BINS - 1;
        }
        if (b > 0 && x < EDGES[b]) {
            b--;
        } else if (b < BINS - 1 && x >= EDGES[b + 1]) {
            b++;
        }
        return b;
    }

    /** Adds an MSE to the histogram and refreshes the tail fit now and then. */
    void learn(double mse) {
        if (!Double.isFinite(mse)) {
            return;
        }
        counts[bin(mse)]++;
        size++;
        sum += mse;
        sumSquares += mse * mse;
        if (size > capacity) {
            size = 0;
            for (int b = 0; b < BINS; b++) {
                counts[b] >>= 1;
                size += counts[b];
            }
            sum *= 0.5;
            sumSquares *= 0.5;
        }
        if (++sinceRefresh >= REFRESH_EVERY) {
            refresh();
        }
    }

    /**
     * The value of rank {@code rank} (0-based, ascending) when each bin's count is spread log-uniformly over the
     * bin: the j-th of c values in bin b sits at EDGES[b] * ratio^((j + 0.5) / c).
     */
    private double valueAt(int rank) {
        int below = 0;
        for (int b = 0; b < BINS; b++) {
            int c = counts[b];
            if (rank < below + c) {
                return valueInBin(b, rank - below, c);
            }
            below += c;
        }
        throw new IllegalStateException("rank " + rank + " beyond " + size + " values");
    }

    private static double valueInBin(int b, int j, int c) {
        return EDGES[b] * Math.pow(2.0, (j + 0.5) / c / BINS_PER_OCTAVE);
    }

    /** Refits u, beta and xi (and the quantile, mean and sd) on the histogram. */
    void refresh() {
        sinceRefresh = 0;
        if (size == 0) {
            return;
        }
        fitted = true;
        mean = sum / size;
        sd = Math.sqrt(Math.max(sumSquares / size - mean * mean, 0));
        quantile = valueAt(Math.min(size - 1, (int) Math.ceil((1 - alarmProbability) * (size - 1))));
        int k = (int) Math.floor((1.0 - TAIL_FRACTION) * (size - 1));
        // Walk the histogram once: find rank k, then the m values above it in ascending order.
        int m = size - 1 - k;
        int below = 0;
        int b = 0;
        while (k >= below + counts[b]) {
            below += counts[b];
            b++;
        }
        u = valueInBin(b, k - below, counts[b]);
        if (m < 2) {
            xi = 0;
            beta = MIN_BETA;
            return;
        }
        // Probability-weighted moments (Hosking and Wallis 1987) of the excesses: linear in the data, so one
        // extreme MSE moves the fit far less than the method of moments, whose variance it would dominate.
        double a0 = 0;
        double a1 = 0;
        int j = k - below + 1;
        for (int i = 0; i < m; i++) {
            while (j >= counts[b]) {
                j = 0;
                b++;
            }
            double e = valueInBin(b, j, counts[b]) - u;
            j++;
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
            case QUANTILE -> fitted ? quantile : tailThreshold();
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

    /** Upper tail probability of {@code mse} under the fitted distribution (below u: the histogram's). */
    double tailProbability(double mse) {
        if (mse >= u || size == 0) {
            return TAIL_FRACTION * exceedance(Math.max(0.0, mse - u));
        }
        int target = bin(mse);
        double below = 0;
        for (int b = 0; b < target; b++) {
            below += counts[b];
        }
        // Within the bin: the share of its log-uniformly spread values below mse.
        double lo = EDGES[target];
        double position = mse <= lo ? 0.0 : Math.log(mse / lo) * BINS_PER_OCTAVE / Math.log(2.0);
        below += counts[target] * Math.min(1.0, position);
        return Math.max(TAIL_FRACTION, 1.0 - below / size);
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

    /**
     * Writes the mutable state (histogram, sparsely: gap and count of each non-empty bin as varints, and the
     * current fit) so that {@link #readState} continues exactly.
     */
    void writeState(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(capacity);
        out.writeInt(sinceRefresh);
        out.writeDouble(sum);
        out.writeDouble(sumSquares);
        int nonEmpty = 0;
        for (int c : counts) {
            nonEmpty += c > 0 ? 1 : 0;
        }
        writeVarint(out, nonEmpty);
        int previous = -1;
        for (int b = 0; b < BINS; b++) {
            if (counts[b] > 0) {
                writeVarint(out, b - previous - 1);
                writeVarint(out, counts[b]);
                previous = b;
            }
        }
        out.writeBoolean(fitted);
        if (fitted) {
            out.writeDouble(mean);
            out.writeDouble(sd);
            out.writeDouble(u);
            out.writeDouble(beta);
            out.writeDouble(xi);
            out.writeDouble(quantile);
        }
        out.writeDouble(overrideThreshold);
    }

    /** Restores what {@link #writeState} wrote into a calibrator of the same capacity. */
    void readState(java.io.DataInput in) throws java.io.IOException {
        int storedCapacity = in.readInt();
        if (storedCapacity != capacity) {
            throw new java.io.IOException("calibration state of capacity " + storedCapacity + ", expected " + capacity);
        }
        sinceRefresh = in.readInt();
        sum = in.readDouble();
        sumSquares = in.readDouble();
        java.util.Arrays.fill(counts, 0);
        int nonEmpty = readVarint(in);
        int b = -1;
        long total = 0;
        for (int i = 0; i < nonEmpty; i++) {
            b += readVarint(in) + 1;
            int c = readVarint(in);
            if (b >= BINS || c <= 0) {
                throw new java.io.IOException("corrupt calibration state: bin " + b + ", count " + c);
            }
            counts[b] = c;
            total += c;
        }
        if (total > capacity || sinceRefresh < 0) {
            throw new java.io.IOException("corrupt calibration state: " + total + " values, capacity " + capacity);
        }
        size = (int) total;
        fitted = in.readBoolean();
        if (fitted) {
            mean = in.readDouble();
            sd = in.readDouble();
            u = in.readDouble();
            beta = in.readDouble();
            xi = in.readDouble();
            quantile = in.readDouble();
        }
        overrideThreshold = in.readDouble();
    }

    private static void writeVarint(java.io.DataOutput out, int v) throws java.io.IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarint(java.io.DataInput in) throws java.io.IOException {
        int v = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new java.io.IOException("corrupt calibration state: varint too long");
    }
}
