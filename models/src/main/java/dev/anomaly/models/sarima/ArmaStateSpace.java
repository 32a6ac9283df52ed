package dev.anomaly.models.sarima;

/**
 * The ARMA(+intercept) state-space form (Harvey) of a differenced SARIMA series: state dimension
 * k = max(p+sP, q+sQ+1), transition T with the reduced AR coefficients down its first column and ones on its
 * superdiagonal, selection R = (1, theta*_1, ..., theta*_{k-1}), design Z = e_1, intercept added to the first
 * state, no observation noise. Operations exploit that structure so a filter step costs O(k^2).
 */
public final class ArmaStateSpace {
    private final int k;
    private final double[] phi;
    private final double[] r;
    private final double intercept;
    private final double sigma2;

    /** Builds the state space of {@code params} for {@code spec}. */
    public ArmaStateSpace(SarimaSpec spec, SarimaParams params) {
        this(spec, params, params.sigma2());
    }

    /** Builds the state space of {@code params} with the innovation variance replaced by {@code sigma2}. */
    public ArmaStateSpace(SarimaSpec spec, SarimaParams params, double sigma2) {
        params.checkShape(spec);
        SarimaOrder o = spec.order();
        this.k = o.stateDimension();
        double[] reducedAr = LagPolynomials.reducedAr(params.ar(), params.seasonalAr(), o.period());
        double[] reducedMa = LagPolynomials.reducedMa(params.ma(), params.seasonalMa(), o.period());
        this.phi = new double[k];
        System.arraycopy(reducedAr, 0, phi, 0, reducedAr.length);
        this.r = new double[k];
        r[0] = 1.0;
        System.arraycopy(reducedMa, 0, r, 1, reducedMa.length);
        this.intercept = params.intercept();
        this.sigma2 = sigma2;
    }

    /** The state dimension k. */
    public int dimension() {
        return k;
    }

    /** The innovation variance used by this state space. */
    public double sigma2() {
        return sigma2;
    }

    /** The intercept added to the first state each step. */
    public double intercept() {
        return intercept;
    }

    /** phi*(1) = 1 - sum phi*_i; zero for a unit root. */
    public double arPolynomialAtOne() {
        double s = 1.0;
        for (double v : phi) {
            s -= v;
        }
        return s;
    }

    /** The stationary mean of the state vector: (I - T)^-1 c e_1. */
    public double[] stationaryMean() {
        double atOne = arPolynomialAtOne();
        if (Math.abs(atOne) < 1e-12) {
            throw new SarimaException("AR polynomial has a unit root; the process has no stationary mean");
        }
        double mean = intercept / atOne;
        double[] a = new double[k];
        a[0] = mean;
        double tail = 0.0;
        for (int i = k - 1; i >= 1; i--) {
            tail += phi[i];
            a[i] = mean * tail;
        }
        return a;
    }

    /**
     * The stationary state covariance P = T P T' + sigma2 R R' (row-major k*k), by the doubling algorithm.
     *
     * @throws SarimaException if the AR part is not stationary
     */
    public double[] stationaryCovariance() {
        double[] a = new double[k * k];
        for (int i = 0; i < k; i++) {
            a[i * k] = phi[i];
            if (i + 1 < k) {
                a[i * k + i + 1] = 1.0;
            }
        }
        double[] p = new double[k * k];
        addInnovationCovariance(p);
        double[] tmp = new double[k * k];
        double[] term = new double[k * k];
        for (int iter = 0; iter < 100; iter++) {
            // term = A P A'
            multiply(a, p, tmp);
            multiplyTransposed(tmp, a, term);
            double termMax = 0.0;
            double pMax = 0.0;
            for (int i = 0; i < p.length; i++) {
                p[i] += term[i];
                termMax = Math.max(termMax, Math.abs(term[i]));
                pMax = Math.max(pMax, Math.abs(p[i]));
            }
            if (!Double.isFinite(pMax) || pMax > 1e12 * sigma2 * k) {
                break;
            }
            if (termMax <= 1e-17 * pMax) {
                symmetrise(p);
                return p;
            }
            multiply(a, a, tmp);
            System.arraycopy(tmp, 0, a, 0, a.length);
        }
        throw new SarimaException("AR part is not stationary (a root of phi(L)Phi(L^s) on or inside the unit circle);"
                + " the exact stationary initialisation does not exist");
    }

    /** a <- T a + c e_1, in place. */
    public void transition(double[] a) {
        multiplyByTransition(a);
        a[0] += intercept;
    }

    /** v <- T v, in place (no intercept). */
    public void multiplyByTransition(double[] v) {
        double v0 = v[0];
        for (int i = 0; i < k - 1; i++) {
            v[i] = phi[i] * v0 + v[i + 1];
        }
        v[k - 1] = phi[k - 1] * v0;
    }

    /** out <- T p T' + sigma2 R R' for a symmetric row-major p; {@code work} is a k*k scratch buffer. */
    public void predictCovariance(double[] p, double[] out, double[] work) {
        // work = T p : row i = phi_i * p[0,:] + p[i+1,:]
        for (int i = 0; i < k; i++) {
            double f = phi[i];
            int ri = i * k;
            if (i + 1 < k) {
                int rn = (i + 1) * k;
                for (int j = 0; j < k; j++) {
                    work[ri + j] = f * p[j] + p[rn + j];
                }
            } else {
                for (int j = 0; j < k; j++) {
                    work[ri + j] = f * p[j];
                }
            }
        }
        // out = work T' : out[i][j] = phi_j * work[i][0] + work[i][j+1]
        for (int i = 0; i < k; i++) {
            int ri = i * k;
            double w0 = work[ri];
            for (int j = 0; j < k - 1; j++) {
                out[ri + j] = phi[j] * w0 + work[ri + j + 1];
            }
            out[ri + k - 1] = phi[k - 1] * w0;
        }
        addInnovationCovariance(out);
    }

    private void addInnovationCovariance(double[] p) {
        for (int i = 0; i < k; i++) {
            double ri = sigma2 * r[i];
            if (ri == 0.0) {
                continue;
            }
            for (int j = 0; j < k; j++) {
                p[i * k + j] += ri * r[j];
            }
        }
    }

    private void multiply(double[] x, double[] y, double[] out) {
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0.0;
                for (int l = 0; l < k; l++) {
                    s += x[i * k + l] * y[l * k + j];
                }
                out[i * k + j] = s;
            }
        }
    }

    private void multiplyTransposed(double[] x, double[] y, double[] out) {
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0.0;
                for (int l = 0; l < k; l++) {
                    s += x[i * k + l] * y[j * k + l];
                }
                out[i * k + j] = s;
            }
        }
    }

    private void symmetrise(double[] p) {
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double m = 0.5 * (p[i * k + j] + p[j * k + i]);
                p[i * k + j] = m;
                p[j * k + i] = m;
            }
        }
    }
}
