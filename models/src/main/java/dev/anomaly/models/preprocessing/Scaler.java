package dev.anomaly.models.preprocessing;

/**
 * An affine rescaling {@code z = (x - center) / scale} fitted on a series; NaN passes through both ways.
 * Implementations are immutable and fitted by their {@code fit(double[])} factory or {@link ScalerType#fit}.
 */
public interface Scaler {

    /** The value mapped to zero. */
    double center();

    /** The positive divisor; 1 when the fitted series had no spread. */
    double scale();

    /** Maps one raw value to the scaled space. */
    default double transform(double x) {
        return (x - center()) / scale();
    }

    /** Maps one scaled value back to the raw space. */
    default double inverse(double z) {
        return z * scale() + center();
    }

    /** Returns a new array holding {@link #transform(double)} of each value. */
    default double[] transform(double[] xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = transform(xs[i]);
        }
        return out;
    }

    /** Returns a new array holding {@link #inverse(double)} of each value. */
    default double[] inverse(double[] zs) {
        double[] out = new double[zs.length];
        for (int i = 0; i < zs.length; i++) {
            out[i] = inverse(zs[i]);
        }
        return out;
    }

    /** Checks the invariants shared by every implementation. */
    static void requireValid(double center, double scale) {
        if (!Double.isFinite(center)) {
            throw new IllegalArgumentException("center must be finite, got " + center);
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
    }
}
