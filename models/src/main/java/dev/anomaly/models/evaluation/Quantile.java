package dev.anomaly.models.evaluation;

import java.util.Arrays;

/** Sample quantiles with linear interpolation between order statistics (numpy's default method). */
public final class Quantile {
    private Quantile() {
    }

    /** The {@code q}-quantile of {@code values}: position {@code q (n - 1)} in the sorted values. */
    public static double of(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("quantile of no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
