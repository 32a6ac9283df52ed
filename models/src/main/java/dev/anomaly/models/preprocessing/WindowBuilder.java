package dev.anomaly.models.preprocessing;

import java.util.ArrayList;
import java.util.List;

/** Cuts a series into (window, next value) pairs of a fixed length, skipping any pair that touches a NaN. */
public final class WindowBuilder {

    private final int seqLen;

    /** Builds windows of {@code seqLen} values each; {@code seqLen} must be at least 1. */
    public WindowBuilder(int seqLen) {
        if (seqLen < 1) {
            throw new IllegalArgumentException("seqLen must be >= 1, got " + seqLen);
        }
        this.seqLen = seqLen;
    }

    public int seqLen() {
        return seqLen;
    }

    /** Returns every pair {@code (series[s .. s+seqLen-1], series[s+seqLen])} whose values are all non-NaN. */
    public Windows build(double[] series) {
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        int lastNaN = -1;
        for (int end = 0; end < series.length; end++) {
            if (Double.isNaN(series[end])) {
                lastNaN = end;
            }
            int start = end - seqLen;
            if (start >= 0 && lastNaN < start) {
                double[] window = new double[seqLen];
                System.arraycopy(series, start, window, 0, seqLen);
                xs.add(window);
                ys.add(series[end]);
            }
        }
        double[] y = new double[ys.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = ys.get(i);
        }
        return new Windows(xs.toArray(new double[0][]), y);
    }
}
