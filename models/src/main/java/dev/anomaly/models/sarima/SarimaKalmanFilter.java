package dev.anomaly.models.sarima;

import java.util.Arrays;

/**
 * The exact Kalman filter over the differenced series for an {@link ArmaStateSpace}, started from the stationary
 * distribution. It takes one observation at a time; NaN is a missing observation (predict-only step). Once the
 * predicted covariance stops changing it switches to the steady-state gain, so a step then costs O(k).
 *
 * <p>Not thread-safe: one instance per series.
 */
public final class SarimaKalmanFilter {
    /** Relative change of the predicted covariance under which the filter is considered converged. */
    static final double STEADY_STATE_TOLERANCE = 1e-13;
    /**
     * The same for an online filter that then runs on its model's shared steady state: a model whose MA part is close
     * to non-invertible converges slowly (a fitted (2,0,2)(1,0,1,24) needed ~9,800 steps to 1e-13, ~3,000 to 1e-10),
     * and what is left to converge after a relative change of 1e-10 per step is of the order of 1e-8, far below any
     * decision; fitting keeps the strict tolerance.
     */
    static final double ONLINE_STEADY_STATE_TOLERANCE = 1e-10;
    private static final double LOG_2PI = Math.log(2.0 * Math.PI);

    private final ArmaStateSpace model;
    private final int k;
    private final double[] a;
    private final double[] p;
    private final double[] filtered;
    private final double[] work;
    private final double[] next;
    private final double[] gain;
    private boolean steady;
    private double steadyVariance;
    /** The model's converged covariance this filter snaps to on converging; null = keep its own. */
    private final KalmanSteadyState canonical;
    /** Relative covariance change per step under which the filter counts as converged. */
    private final double steadyTolerance;

    /** A filter at the stationary initial state of {@code model}. */
    public SarimaKalmanFilter(ArmaStateSpace model) {
        this(model, model.stationaryMean(), model.stationaryCovariance());
    }

    SarimaKalmanFilter(ArmaStateSpace model, double[] initialMean, double[] initialCovariance) {
        this(model, initialMean, initialCovariance, STEADY_STATE_TOLERANCE, null);
    }

    /**
     * A filter that, once converged, runs on {@code canonical} (when not null): the same covariance for every series
     * of a model, so its state needs no covariance. Without missing observations the filter reaches exactly that
     * covariance itself (the recursion does not depend on the data); after a gap it reaches it within the
     * convergence tolerance ({@code steadyTolerance}).
     */
    SarimaKalmanFilter(ArmaStateSpace model, double[] initialMean, double[] initialCovariance,
                       double steadyTolerance, KalmanSteadyState canonical) {
        this.canonical = canonical;
        this.steadyTolerance = steadyTolerance;
        this.model = model;
        this.k = model.dimension();
        this.a = initialMean.clone();
        this.p = initialCovariance.clone();
        symmetrise(p, k);
        this.filtered = new double[k * k];
        this.work = new double[k * k];
        this.next = new double[k * k];
        this.gain = new double[k];
    }

    /** The state space this filter runs on. */
    public ArmaStateSpace model() {
        return model;
    }

    /** E[w_t | past]: the one-step prediction of the next observation. */
    public double predictedMean() {
        return a[0];
    }

    /** F_t: the variance of the next one-step prediction error. */
    public double predictedVariance() {
        return steady ? steadyVariance : p[0];
    }

    /** True once the steady-state gain is in use. */
    public boolean steady() {
        return steady;
    }

    /**
     * Takes observation {@code w} (NaN = missing) and moves to the prediction for the next time point.
     *
     * @return the observation's log-likelihood contribution, or NaN if it was missing
     */
    public double update(double w) {
        if (Double.isNaN(w)) {
            predictOnly();
            return Double.NaN;
        }
        if (steady) {
            double v = w - a[0];
            for (int i = 0; i < k; i++) {
                a[i] += gain[i] * v;
            }
            model.transition(a);
            return -0.5 * (LOG_2PI + Math.log(steadyVariance) + v * v / steadyVariance);
        }
        double f = p[0];
        if (!(f > 0.0)) {
            throw new SarimaException("prediction variance became " + f + "; the model is degenerate for this data");
        }
        double v = w - a[0];
        double invF = 1.0 / f;
        for (int i = 0; i < k; i++) {
            a[i] += p[i * k] * v * invF;
        }
        for (int i = 0; i < k; i++) {
            double pi0 = p[i * k] * invF;
            int ri = i * k;
            for (int j = 0; j < k; j++) {
                filtered[ri + j] = p[ri + j] - pi0 * p[j];
            }
        }
        model.transition(a);
        model.predictCovariance(filtered, next, work);
        symmetrise(next, k);
        checkConvergence();
        System.arraycopy(next, 0, p, 0, p.length);
        return -0.5 * (LOG_2PI + Math.log(f) + v * v * invF);
    }

    private void predictOnly() {
        model.transition(a);
        model.predictCovariance(p, next, work);
        symmetrise(next, k);
        System.arraycopy(next, 0, p, 0, p.length);
        steady = false;
    }

    private void checkConvergence() {
        double maxDiff = 0.0;
        double maxAbs = 0.0;
        for (int i = 0; i < p.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(next[i] - p[i]));
            maxAbs = Math.max(maxAbs, Math.abs(next[i]));
        }
        if (maxDiff <= steadyTolerance * maxAbs) {
            steady = true;
            if (canonical != null) {
                adoptCanonical(next);
                return;
            }
            steadyVariance = next[0];
            for (int i = 0; i < k; i++) {
                gain[i] = next[i * k] / steadyVariance;
            }
        }
    }

    /** Copies of the covariance, variance and gain this filter converged to (it must be {@link #steady()}). */
    KalmanSteadyState convergedState() {
        if (!steady) {
            throw new IllegalStateException("the filter has not converged");
        }
        return new KalmanSteadyState(p.clone(), steadyVariance, gain.clone());
    }

    /** Takes the model's steady state: its covariance into {@code covariance}, its variance and gain. */
    private void adoptCanonical(double[] covariance) {
        System.arraycopy(canonical.p(), 0, covariance, 0, covariance.length);
        steadyVariance = canonical.variance();
        System.arraycopy(canonical.gain(), 0, gain, 0, k);
    }

    /**
     * Copies the upper triangle of the k*k matrix {@code m} onto its lower triangle. Rounding makes the computed
     * covariance asymmetric in the last bits; keeping it exactly symmetric makes the state that {@link #writeState}
     * stores (the upper triangle) complete, so a restored filter continues bit for bit.
     */
    private static void symmetrise(double[] m, int k) {
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                m[j * k + i] = m[i * k + j];
            }
        }
    }

    /** A copy of the predicted state mean a_{t|t-1}. */
    public double[] stateMean() {
        return a.clone();
    }

    /** A copy of the predicted state covariance P_{t|t-1} (row-major k*k). */
    public double[] stateCovariance() {
        return p.clone();
    }

    /** Writes the filter state (a, upper triangle of P, steady flag) into {@code out} from {@code offset}. */
    int writeState(double[] out, int offset) {
        System.arraycopy(a, 0, out, offset, k);
        int o = offset + k;
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                out[o++] = p[i * k + j];
            }
        }
        out[o++] = steady ? 1.0 : 0.0;
        return o;
    }

    /** Reads a state written by {@link #writeState}. */
    int readState(double[] in, int offset) {
        System.arraycopy(in, offset, a, 0, k);
        int o = offset + k;
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                p[i * k + j] = in[o];
                p[j * k + i] = in[o++];
            }
        }
        steady = in[o++] != 0.0;
        if (steady) {
            steadyVariance = p[0];
            for (int i = 0; i < k; i++) {
                gain[i] = p[i * k] / steadyVariance;
            }
        } else {
            Arrays.fill(gain, 0.0);
        }
        return o;
    }

    /** True when the state is the model's canonical steady state, so {@link #writeCompact} omits the covariance. */
    private boolean onCanonical() {
        return steady && canonical != null;
    }

    /** Bytes {@link #writeCompact} writes. */
    int compactSize() {
        return 8 * k + 1 + (onCanonical() ? 0 : 8 * (k * (k + 1) / 2));
    }

    /**
     * Writes a, a flag (0 = transient, 1 = converged on its own covariance, 2 = converged on the model's canonical
     * one) and, unless the flag is 2, the upper triangle of P.
     */
    void writeCompact(java.nio.ByteBuffer out) {
        for (int i = 0; i < k; i++) {
            out.putDouble(a[i]);
        }
        out.put((byte) (onCanonical() ? 2 : steady ? 1 : 0));
        if (!onCanonical()) {
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    out.putDouble(p[i * k + j]);
                }
            }
        }
    }

    /** Reads a state written by {@link #writeCompact}. */
    void readCompact(java.nio.ByteBuffer in) {
        for (int i = 0; i < k; i++) {
            a[i] = in.getDouble();
        }
        byte flag = in.get();
        if (flag == 2) {
            if (canonical == null) {
                throw new SarimaException("the filter state refers to the model's steady state, which this model"
                        + " does not reach");
            }
            adoptCanonical(p);
            steady = true;
            return;
        }
        if (flag != 0 && flag != 1) {
            throw new SarimaException("corrupt filter state: steady flag " + flag);
        }
        double[] upper = new double[k + k * (k + 1) / 2 + 1];
        System.arraycopy(a, 0, upper, 0, k);
        int o = k;
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                upper[o++] = in.getDouble();
            }
        }
        upper[o] = flag;
        readState(upper, 0);
    }

    /** Number of doubles {@link #writeState} writes. */
    int stateSize() {
        return k + k * (k + 1) / 2 + 1;
    }
}
