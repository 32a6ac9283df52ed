package dev.anomaly.models.preprocessing;

/**
 * Scales by mean and population standard deviation; a constant series gets scale 1.
 *
 * @param mean the fitted mean
 * @param std  the fitted standard deviation, or 1 when it was zero
 */
public record StandardScaler(double mean, double std) implements Scaler {

    public StandardScaler {
        Scaler.requireValid(mean, std);
    }

    /** Fits on the finite values of {@code series}; with none it is the identity (mean 0, std 1). */
    public static StandardScaler fit(double[] series) {
        double[] values = FiniteValues.of(series);
        if (values.length == 0) {
            return new StandardScaler(0.0, 1.0);
        }
        double mean = FiniteValues.mean(values);
        return new StandardScaler(mean, FiniteValues.positiveOrOne(FiniteValues.std(values, mean)));
    }

    @Override
    public double center() {
        return mean;
    }

    @Override
    public double scale() {
        return std;
    }
}
