package dev.anomaly.models.detection;

/**
 * Baseline detector: the z-score of each value against the mean and standard deviation of the {@code window}
 * values before it; the error is z^2 and an anomaly is |z| above a threshold. It is what "windowed Gaussian"
 * detectors on the NAB scoreboard do, so it anchors every comparison.
 */
public final class WindowedZScoreDetector implements OnlineDetector {
    /** Values needed before a z-score means anything (mean and deviation of two points are noise). */
    static final int MIN_HISTORY = 30;
    private final double[] ring;
    private final double zThreshold;
    private int size;
    private int next;
    /**
     * The sums are kept about this value (the first one, then the window's mean at each recomputation), so that a
     * level far larger than the spread (byte counters, epoch timestamps: 1e12 with noise of 1) does not cancel the
     * variance away in sumSquares / n - mean^2.
     */
    private double shift = Double.NaN;
    private double sum;
    private double sumSquares;

    /** A detector over the last {@code window} values flagging |z| > {@code zThreshold}, primed with {@code history}. */
    public WindowedZScoreDetector(int window, double zThreshold, double[] history) {
        if (window < 2) {
            throw new IllegalArgumentException("z-score window must be >= 2, got " + window);
        }
        if (!(zThreshold > 0)) {
            throw new IllegalArgumentException("z-score threshold must be > 0, got " + zThreshold);
        }
        this.ring = new double[window];
        this.zThreshold = zThreshold;
        for (double v : history) {
            learn(v);
        }
    }

    /** A trainer for this baseline. */
    public static DetectorTrainer trainer(int window, double zThreshold) {
        return history -> new WindowedZScoreDetector(window, zThreshold, history);
    }

    @Override
    public Detection update(double value) {
        if (Double.isNaN(value) || size < Math.min(ring.length, MIN_HISTORY)) {
            learn(value);
            return Detection.warmingUp(value);
        }
        double offset = sum / size;
        double mean = shift + offset;
        double var = Math.max(sumSquares / size - offset * offset, 0.0);
        double sd = Math.sqrt(var);
        // A flat window: the running sums carry rounding error, so "equal to the mean" needs a tolerance, or a
        // constant series such as 0.3 would be flagged on every row. The tolerance is a few units in the last place
        // of the level (values closer than that cannot differ), not a fraction of it: 1e12 with noise of 1 is not flat.
        double tolerance = 64 * Math.ulp(Math.max(1.0, Math.abs(mean)));
        double z = sd > tolerance ? (value - mean) / sd
                : (Math.abs(value - mean) <= tolerance ? 0.0 : Math.copySign(Double.MAX_VALUE, value - mean));
        double error = z * z;
        // |z| / (|z| + threshold): 0.5 at the alarm threshold and below 1 for every finite z, so score quantiles
        // (SMD's threshold rule) stay meaningful instead of piling up at 1.
        double score = Math.abs(z) / (Math.abs(z) + zThreshold);
        learn(value);
        return new Detection(value, mean, value - mean, Double.NaN, error, error, zThreshold * zThreshold, score,
                Math.abs(z) > zThreshold, false, surprise(z));
    }

    /**
     * -log10 P(|Z| > |z|) for a standard normal Z: the two-sided Gaussian tail probability that this detector's
     * model gives the observation, in log space so that it does not saturate. erfc up to |z| = 30, beyond it the
     * asymptotic expansion of ln erfc (relative error below 1e-6 there); infinite for infinite z.
     */
    static double surprise(double z) {
        double x = Math.abs(z) / Math.sqrt(2.0);
        if (x <= 30.0 / Math.sqrt(2.0)) {
            return Math.max(0.0, -Math.log10(org.apache.commons.math3.special.Erf.erfc(x)));
        }
        double x2 = x * x;
        double lnErfc = -x2 - Math.log(x * Math.sqrt(Math.PI)) + Math.log1p(-0.5 / x2 + 0.75 / (x2 * x2));
        return -lnErfc / Math.log(10.0);
    }

    private void learn(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        if (Double.isNaN(shift)) {
            shift = value;
        }
        if (size == ring.length) {
            double old = ring[next] - shift;
            sum -= old;
            sumSquares -= old * old;
        } else {
            size++;
        }
        ring[next] = value;
        double d = value - shift;
        sum += d;
        sumSquares += d * d;
        next = (next + 1) % ring.length;
        if (next == 0 && size == ring.length) {
            // Once per window, recompute the sums from the ring about its mean, so that rounding drift cannot build
            // up forever and the shift follows the level.
            double total = 0.0;
            for (double v : ring) {
                total += v - shift;
            }
            shift += total / ring.length;
            sum = 0.0;
            sumSquares = 0.0;
            for (double v : ring) {
                double e = v - shift;
                sum += e;
                sumSquares += e * e;
            }
        }
    }
}
