package dev.anomaly.models.sarima;

import java.util.Arrays;

/**
 * Parameter values of a SARIMA model in statsmodels' conventions: phi(L) = 1 - sum ar_i L^i,
 * theta(L) = 1 + sum ma_j L^j (likewise seasonal), intercept c (not the mean), innovation variance sigma2.
 */
public record SarimaParams(double intercept, double[] ar, double[] ma, double[] seasonalAr, double[] seasonalMa,
                           double sigma2) {

    public SarimaParams {
        ar = ar.clone();
        ma = ma.clone();
        seasonalAr = seasonalAr.clone();
        seasonalMa = seasonalMa.clone();
        if (!(sigma2 > 0) || Double.isInfinite(sigma2)) {
            throw new SarimaException("sigma2 must be a finite positive number, got " + sigma2);
        }
        for (double[] part : new double[][] {ar, ma, seasonalAr, seasonalMa}) {
            for (double v : part) {
                if (!Double.isFinite(v)) {
                    throw new SarimaException("AR/MA coefficients must be finite, got " + v);
                }
            }
        }
        if (!Double.isFinite(intercept)) {
            throw new SarimaException("intercept must be finite, got " + intercept);
        }
    }

    /**
     * Reads a vector in statsmodels' order (intercept, ar.L*, ma.L*, ar.S.L*, ma.S.L*, sigma2) for {@code spec}.
     */
    public static SarimaParams fromVector(SarimaSpec spec, double[] v) {
        if (v.length != spec.parameterCount()) {
            throw new SarimaException("expected " + spec.parameterCount() + " parameters " + spec.parameterNames()
                    + " for " + spec + ", got " + v.length);
        }
        SarimaOrder o = spec.order();
        int i = 0;
        double c = spec.hasIntercept() ? v[i++] : 0.0;
        double[] ar = Arrays.copyOfRange(v, i, i += o.p());
        double[] ma = Arrays.copyOfRange(v, i, i += o.q());
        double[] sar = Arrays.copyOfRange(v, i, i += o.seasonalP());
        double[] sma = Arrays.copyOfRange(v, i, i += o.seasonalQ());
        return new SarimaParams(c, ar, ma, sar, sma, v[i]);
    }

    /** This parameter set as a vector in statsmodels' order for {@code spec}. */
    public double[] toVector(SarimaSpec spec) {
        checkShape(spec);
        double[] v = new double[spec.parameterCount()];
        int i = 0;
        if (spec.hasIntercept()) {
            v[i++] = intercept;
        }
        for (double[] part : new double[][] {ar, ma, seasonalAr, seasonalMa}) {
            System.arraycopy(part, 0, v, i, part.length);
            i += part.length;
        }
        v[i] = sigma2;
        return v;
    }

    /** Fails unless the coefficient counts match {@code spec}. */
    public void checkShape(SarimaSpec spec) {
        SarimaOrder o = spec.order();
        if (ar.length != o.p() || ma.length != o.q() || seasonalAr.length != o.seasonalP()
                || seasonalMa.length != o.seasonalQ() || (!spec.hasIntercept() && intercept != 0.0)) {
            throw new SarimaException("parameters " + this + " do not match " + spec);
        }
    }

    @Override
    public double[] ar() {
        return ar.clone();
    }

    @Override
    public double[] ma() {
        return ma.clone();
    }

    @Override
    public double[] seasonalAr() {
        return seasonalAr.clone();
    }

    @Override
    public double[] seasonalMa() {
        return seasonalMa.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SarimaParams p && intercept == p.intercept && sigma2 == p.sigma2
                && Arrays.equals(ar, p.ar) && Arrays.equals(ma, p.ma)
                && Arrays.equals(seasonalAr, p.seasonalAr) && Arrays.equals(seasonalMa, p.seasonalMa);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {intercept, sigma2}) * 31
                + Arrays.deepHashCode(new Object[] {ar, ma, seasonalAr, seasonalMa});
    }

    @Override
    public String toString() {
        return "SarimaParams[intercept=" + intercept + ", ar=" + Arrays.toString(ar) + ", ma=" + Arrays.toString(ma)
                + ", seasonalAr=" + Arrays.toString(seasonalAr) + ", seasonalMa=" + Arrays.toString(seasonalMa)
                + ", sigma2=" + sigma2 + "]";
    }
}
