package dev.anomaly.models.preprocessing;

import java.util.Arrays;

/** Statistics over the finite values of a series, shared by the scalers. */
final class FiniteValues {

    private FiniteValues() {
    }

    /** Returns the finite values of {@code series} in their original order. */
    static double[] of(double[] series) {
        return Arrays.stream(series).filter(Double::isFinite).toArray();
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Population standard deviation around {@code center}. */
    static double std(double[] values, double center) {
        double sum = 0;
        for (double v : values) {
            double d = v - center;
            sum += d * d;
        }
        return Math.sqrt(sum / values.length);
    }

    /** Median of {@code values}, which must be non-empty; does not modify its argument. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    /** Replaces a zero spread by 1 so that a constant series maps to zeros instead of NaN. */
    static double positiveOrOne(double scale) {
        return scale > 0 && Double.isFinite(scale) ? scale : 1.0;
    }
}
