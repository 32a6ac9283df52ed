package dev.anomaly.models.hybrid;

/** Sample autocorrelations of a series, used to choose differencing and seasonality before fitting SARIMA. */
final class Autocorrelation {

    private Autocorrelation() {
    }

    /** The finite values of {@code y} minus their mean. */
    static double[] finiteDemeaned(double[] y) {
        int n = 0;
        double sum = 0;
        for (double v : y) {
            if (Double.isFinite(v)) {
                n++;
                sum += v;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double[] x = new double[n];
        int i = 0;
        for (double v : y) {
            if (Double.isFinite(v)) {
                x[i++] = v - mean;
            }
        }
        return x;
    }

    /** acf[0..maxLag] of a demeaned series (acf[0] = 1; all zero for a constant series). */
    static double[] of(double[] x, int maxLag) {
        double[] acf = new double[maxLag + 1];
        double c0 = 0;
        for (double v : x) {
            c0 += v * v;
        }
        if (c0 == 0) {
            return acf;
        }
        for (int lag = 0; lag <= maxLag && lag < x.length; lag++) {
            double c = 0;
            for (int t = lag; t < x.length; t++) {
                c += x[t] * x[t - lag];
            }
            acf[lag] = c / c0;
        }
        return acf;
    }
}
