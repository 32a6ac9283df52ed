package dev.anomaly.models.sarima;

import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * Starting values for SARIMA estimation by the Hannan-Rissanen regressions: a long autoregression estimates the
 * innovations, then w_t is regressed on its own lags and the lagged innovation estimates (seasonal lags taken
 * additively, which is close enough for a start). Parts that come out non-stationary or non-invertible are shrunk.
 */
final class HannanRissanen {

    private HannanRissanen() {
    }

    /** Start values (ar, ma, seasonalAr, seasonalMa) for the demeaned differenced series {@code w}. */
    static double[][] startValues(SarimaOrder o, double[] w) {
        int n = w.length;
        double[][] zeros = {new double[o.p()], new double[o.q()], new double[o.seasonalP()], new double[o.seasonalQ()]};
        int maxLag = Math.max(o.reducedArDegree(), o.reducedMaDegree());
        if (maxLag == 0) {
            return zeros;
        }
        double[] e = new double[n];
        int m = 0;
        if (o.q() + o.seasonalQ() > 0) {
            m = Math.min(n / 3, Math.max(10, 2 * maxLag));
            double[] phi = autoregression(w, m);
            if (phi == null) {
                return zeros;
            }
            for (int t = m; t < n; t++) {
                double s = w[t];
                for (int i = 0; i < m; i++) {
                    s -= phi[i] * w[t - i - 1];
                }
                e[t] = s;
            }
        }
        int start = m + maxLag;
        int cols = o.p() + o.q() + o.seasonalP() + o.seasonalQ();
        int rows = n - start;
        if (rows < cols + 10) {
            return zeros;
        }
        double[][] x = new double[rows][cols];
        double[] y = new double[rows];
        for (int t = start; t < n; t++) {
            int c = 0;
            double[] row = x[t - start];
            for (int i = 1; i <= o.p(); i++) {
                row[c++] = w[t - i];
            }
            for (int i = 1; i <= o.q(); i++) {
                row[c++] = e[t - i];
            }
            for (int i = 1; i <= o.seasonalP(); i++) {
                row[c++] = w[t - i * o.period()];
            }
            for (int i = 1; i <= o.seasonalQ(); i++) {
                row[c++] = e[t - i * o.period()];
            }
            y[t - start] = w[t];
        }
        double[] beta = regress(y, x);
        if (beta == null) {
            return zeros;
        }
        int c = 0;
        double[] ar = slice(beta, c, c += o.p());
        double[] ma = slice(beta, c, c += o.q());
        double[] sar = slice(beta, c, c += o.seasonalP());
        double[] sma = slice(beta, c, c + o.seasonalQ());
        return new double[][] {shrinkAr(ar), shrinkMa(ma), shrinkAr(sar), shrinkMa(sma)};
    }

    private static double[] autoregression(double[] w, int m) {
        int rows = w.length - m;
        if (rows < m + 10) {
            return null;
        }
        double[][] x = new double[rows][m];
        double[] y = new double[rows];
        for (int t = m; t < w.length; t++) {
            for (int i = 0; i < m; i++) {
                x[t - m][i] = w[t - i - 1];
            }
            y[t - m] = w[t];
        }
        return regress(y, x);
    }

    private static double[] regress(double[] y, double[][] x) {
        try {
            OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
            ols.setNoIntercept(true);
            ols.newSampleData(y, x);
            double[] beta = ols.estimateRegressionParameters();
            for (double b : beta) {
                if (!Double.isFinite(b)) {
                    return null;
                }
            }
            return beta;
        } catch (IllegalArgumentException e) { // includes SingularMatrixException
            return null;
        }
    }

    static double[] shrinkAr(double[] ar) {
        double[] c = ar.clone();
        for (int attempt = 0; attempt < 40; attempt++) {
            if (StationarityTransform.isStationary(c, 0.98)) {
                return c;
            }
            for (int i = 0; i < c.length; i++) {
                c[i] *= Math.pow(0.9, i + 1);
            }
        }
        return new double[ar.length];
    }

    static double[] shrinkMa(double[] ma) {
        double[] neg = new double[ma.length];
        for (int i = 0; i < ma.length; i++) {
            neg[i] = -ma[i];
        }
        double[] s = shrinkAr(neg);
        for (int i = 0; i < s.length; i++) {
            s[i] = -s[i];
        }
        return s;
    }

    private static double[] slice(double[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }
}
