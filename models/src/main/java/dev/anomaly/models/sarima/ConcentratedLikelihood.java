package dev.anomaly.models.sarima;

/**
 * The exact Gaussian log-likelihood of a differenced series with sigma2 concentrated out, as a function of the
 * unconstrained optimisation vector (scaled mean if the model has an intercept, then transformed AR, MA, seasonal
 * AR and seasonal MA blocks). Transforms keep every evaluated model stationary and invertible.
 */
final class ConcentratedLikelihood {
    private static final double LOG_2PI = Math.log(2.0 * Math.PI);

    private final SarimaSpec spec;
    private final double[] w;
    private final double meanCentre;
    private final double meanScale;
    private final int observed;

    ConcentratedLikelihood(SarimaSpec spec, double[] w, double meanCentre, double meanScale) {
        this.spec = spec;
        this.w = w;
        this.meanCentre = meanCentre;
        this.meanScale = meanScale;
        int count = 0;
        for (double v : w) {
            if (!Double.isNaN(v)) {
                count++;
            }
        }
        this.observed = count;
    }

    int dimension() {
        SarimaOrder o = spec.order();
        return (spec.hasIntercept() ? 1 : 0) + o.p() + o.q() + o.seasonalP() + o.seasonalQ();
    }

    /** True if the first coordinate is the (scaled) mean of the differenced series. */
    boolean hasMeanParameter() {
        return spec.hasIntercept();
    }

    int observed() {
        return observed;
    }

    /** The parameters (sigma2 = 1) that {@code x} stands for. */
    SarimaParams unitScaleParams(double[] x) {
        SarimaOrder o = spec.order();
        int i = 0;
        double mean = spec.hasIntercept() ? meanCentre + meanScale * x[i++] : 0.0;
        double[] ar = StationarityTransform.constrain(java.util.Arrays.copyOfRange(x, i, i += o.p()));
        double[] ma = negate(StationarityTransform.constrain(java.util.Arrays.copyOfRange(x, i, i += o.q())));
        double[] sar = StationarityTransform.constrain(java.util.Arrays.copyOfRange(x, i, i += o.seasonalP()));
        double[] sma = negate(StationarityTransform.constrain(java.util.Arrays.copyOfRange(x, i, i += o.seasonalQ())));
        double intercept = mean * arAtOne(ar) * arAtOne(sar);
        return new SarimaParams(intercept, ar, ma, sar, sma, 1.0);
    }

    /** The optimisation vector of given coefficients (sigma2 ignored). */
    double[] unconstrained(double mean, double[] ar, double[] ma, double[] sar, double[] sma) {
        double[] x = new double[dimension()];
        int i = 0;
        if (spec.hasIntercept()) {
            x[i++] = (mean - meanCentre) / meanScale;
        }
        for (double[] part : new double[][] {
                StationarityTransform.unconstrain(ar), StationarityTransform.unconstrain(negate(ma)),
                StationarityTransform.unconstrain(sar), StationarityTransform.unconstrain(negate(sma))}) {
            System.arraycopy(part, 0, x, i, part.length);
            i += part.length;
        }
        return x;
    }

    /** Concentrated log-likelihood at {@code x}, or -infinity where the model cannot be evaluated. */
    double value(double[] x) {
        try {
            return evaluate(unitScaleParams(x)).logLikelihood();
        } catch (SarimaException e) {
            return Double.NEGATIVE_INFINITY;
        }
    }

    /**
     * The concentrated log-likelihood and the sigma2 estimate for unit-scale parameters. Without missing values it
     * runs the Chandrasekhar recursions: from the stationary start, P_{t+1} - P_t has rank one (W M W'), so a step
     * costs O(k) instead of the O(k^2) covariance update; with missing values it runs the ordinary filter.
     */
    Evaluation evaluate(SarimaParams unitScale) {
        ArmaStateSpace ss = new ArmaStateSpace(spec, unitScale, 1.0);
        Sums sums = observed == w.length ? chandrasekhar(ss) : kalman(ss);
        double sigma2 = sums.squares / observed;
        double llf = -0.5 * observed * (LOG_2PI + 1.0 + Math.log(sigma2)) - 0.5 * sums.logDeterminant;
        if (!Double.isFinite(llf)) {
            throw new SarimaException("log-likelihood is not finite (sigma2 estimate " + sigma2 + ")");
        }
        return new Evaluation(llf, sigma2);
    }

    private record Sums(double squares, double logDeterminant) {
    }

    private Sums kalman(ArmaStateSpace ss) {
        SarimaKalmanFilter kf = new SarimaKalmanFilter(ss);
        double squares = 0.0;
        double logDet = 0.0;
        for (double v : w) {
            if (!Double.isNaN(v)) {
                double f = kf.predictedVariance();
                double e = v - kf.predictedMean();
                squares += e * e / f;
                logDet += Math.log(f);
            }
            kf.update(v);
        }
        return new Sums(squares, logDet);
    }

    private Sums chandrasekhar(ArmaStateSpace ss) {
        int k = ss.dimension();
        double[] a = ss.stationaryMean();
        double[] p = ss.stationaryCovariance();
        double f = p[0];
        double[] kf = new double[k];     // K_t F_t = T P_t Z'
        for (int i = 0; i < k; i++) {
            kf[i] = p[i * k];
        }
        ss.multiplyByTransition(kf);
        double[] wv = kf.clone();        // W_t, with P_{t+1} - P_t = W_t M_t W_t'
        double m = -1.0 / f;
        double squares = 0.0;
        double logDet = 0.0;
        for (double y : w) {
            if (!(f > 0.0)) {
                throw new SarimaException("prediction variance became " + f + "; the model is degenerate");
            }
            double e = y - a[0];
            squares += e * e / f;
            logDet += Math.log(f);
            // a_{t+1} = T a_t + c + K_t e_t
            ss.transition(a);
            double g = e / f;
            for (int i = 0; i < k; i++) {
                a[i] += kf[i] * g;
            }
            double zw = wv[0];
            double fNext = f + zw * zw * m;
            ss.multiplyByTransition(wv);  // now T W_t
            double mzw = m * zw;
            for (int i = 0; i < k; i++) {
                kf[i] += wv[i] * mzw;
            }
            double gain = zw / fNext;
            for (int i = 0; i < k; i++) {
                wv[i] -= kf[i] * gain;    // W_{t+1} = (T - K_{t+1} Z) W_t
            }
            m += m * m * zw * zw / f;
            f = fNext;
        }
        return new Sums(squares, logDet);
    }

    record Evaluation(double logLikelihood, double sigma2) {
    }

    static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    private static double arAtOne(double[] ar) {
        double s = 1.0;
        for (double v : ar) {
            s -= v;
        }
        return s;
    }
}
