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
     * The stationary state covariance P = T P T' + sigma2 R R' (row-major k*k), built from the process
     * autocovariances and psi weights. State i of Harvey's form is sum_{j>=i} (phi_j y_{t-1-(j-i)} + r_j e_{t-(j-i)}),
     * so P[i][l] = P[i+1][l+1] plus the terms with j = i or m = l: O(k^3) with a small constant.
     *
     * @throws SarimaException if the AR part is not stationary
     */
    public double[] stationaryCovariance() {
        double[] psi = psiWeights(k);
        double[] gamma = autocovariances(psi);
        double[] p = new double[k * k];
        for (int i = k - 1; i >= 0; i--) {
            for (int l = k - 1; l >= i; l--) {
                double v = (i + 1 < k && l + 1 < k) ? p[(i + 1) * k + l + 1] : 0.0;
                for (int b = 0; b + l < k; b++) {
                    v += term(i, l, 0, b, gamma, psi);
                }
                for (int a = 1; a + i < k; a++) {
                    v += term(i, l, a, 0, gamma, psi);
                }
                p[i * k + l] = v;
                p[l * k + i] = v;
            }
        }
        return p;
    }

    /** Covariance of the (j = i + a)-th term of state i with the (m = l + b)-th term of state l. */
    private double term(int i, int l, int a, int b, double[] gamma, double[] psi) {
        double pj = phi[i + a];
        double rj = r[i + a];
        double pm = phi[l + b];
        double rm = r[l + b];
        double v = pj * pm * gamma[Math.abs(a - b)];
        if (b >= a + 1) {
            v += pj * rm * sigma2 * psi[b - a - 1];
        }
        if (a >= b + 1) {
            v += rj * pm * sigma2 * psi[a - b - 1];
        }
        if (a == b) {
            v += rj * rm * sigma2;
        }
        return v;
    }

    /** psi_0..psi_n of y_t = sum psi_h e_{t-h}. */
    private double[] psiWeights(int n) {
        double[] psi = new double[n + 1];
        for (int h = 0; h <= n; h++) {
            double v = h < k ? r[h] : 0.0;
            for (int j = 1; j <= Math.min(h, k); j++) {
                v += phi[j - 1] * psi[h - j];
            }
            psi[h] = v;
        }
        return psi;
    }

    /** gamma(0..k-1) of the ARMA process, solving the first p+1 Yule-Walker-type equations. */
    private double[] autocovariances(double[] psi) {
        int p = 0;
        for (int j = 0; j < k; j++) {
            if (phi[j] != 0.0) {
                p = j + 1;
            }
        }
        requireStationaryAr(p);
        double[] gamma = new double[Math.max(k, p + 1)];
        int n = p + 1;
        double[][] a = new double[n][n + 1];
        for (int h = 0; h < n; h++) {
            a[h][h] += 1.0;
            for (int j = 1; j <= p; j++) {
                a[h][Math.abs(h - j)] -= phi[j - 1];
            }
            a[h][n] = maPart(h, psi);
        }
        double[] solved = solve(a);
        System.arraycopy(solved, 0, gamma, 0, n);
        for (int h = n; h < gamma.length; h++) {
            double v = maPart(h, psi);
            for (int j = 1; j <= p; j++) {
                v += phi[j - 1] * gamma[h - j];
            }
            gamma[h] = v;
        }
        return gamma;
    }

    /** sigma2 * sum_{i>=h} r_i psi_{i-h}. */
    private double maPart(int h, double[] psi) {
        double v = 0.0;
        for (int i = h; i < k; i++) {
            v += r[i] * psi[i - h];
        }
        return sigma2 * v;
    }

    private void requireStationaryAr(int p) {
        double[] coefficients = java.util.Arrays.copyOf(phi, p);
        if (!StationarityTransform.isStationary(coefficients, 1.0 - 1e-12)) {
            throw new SarimaException("AR part is not stationary (a root of phi(L)Phi(L^s) on or inside the unit"
                    + " circle); the exact stationary initialisation does not exist");
        }
    }

    /** Gaussian elimination with partial pivoting on an augmented n x (n+1) matrix. */
    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int row = c + 1; row < n; row++) {
                if (Math.abs(a[row][c]) > Math.abs(a[pivot][c])) {
                    pivot = row;
                }
            }
            double[] tmp = a[c];
            a[c] = a[pivot];
            a[pivot] = tmp;
            if (Math.abs(a[c][c]) < 1e-300) {
                throw new SarimaException("autocovariance equations are singular: the AR part has a unit root");
            }
            for (int row = c + 1; row < n; row++) {
                double f = a[row][c] / a[c][c];
                if (f != 0.0) {
                    for (int col = c; col <= n; col++) {
                        a[row][col] -= f * a[c][col];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int row = n - 1; row >= 0; row--) {
            double v = a[row][n];
            for (int col = row + 1; col < n; col++) {
                v -= a[row][col] * x[col];
            }
            x[row] = v / a[row][row];
        }
        return x;
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

}
