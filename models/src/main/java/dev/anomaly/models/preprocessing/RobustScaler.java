package dev.anomaly.models.preprocessing;

/**
 * Scales by median and MAD × 1.4826 (the standard deviation for Gaussian data), so spikes barely move
 * the fit. When more than half the values are equal the MAD is zero and the standard deviation around
 * the median is used instead; a constant series gets scale 1.
 *
 * @param median the fitted median
 * @param scale  the fitted robust spread
 */
public record RobustScaler(double median, double scale) implements Scaler {

    /** Makes the MAD a consistent estimator of the standard deviation for normal data. */
    public static final double MAD_TO_SIGMA = 1.4826;

    public RobustScaler {
        Scaler.requireValid(median, scale);
    }

    /** Fits on the finite values of {@code series}; with none it is the identity (median 0, scale 1). */
    public static RobustScaler fit(double[] series) {
        double[] values = FiniteValues.of(series);
        if (values.length == 0) {
            return new RobustScaler(0.0, 1.0);
        }
        double median = FiniteValues.median(values);
        double[] deviations = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        double scale = MAD_TO_SIGMA * FiniteValues.median(deviations);
        if (!(scale > 0)) {
            scale = FiniteValues.std(values, median);
        }
        return new RobustScaler(median, FiniteValues.positiveOrOne(scale));
    }

    @Override
    public double center() {
        return median;
    }
}
