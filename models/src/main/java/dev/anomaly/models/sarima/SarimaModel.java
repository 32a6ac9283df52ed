package dev.anomaly.models.sarima;

import java.util.Arrays;

/**
 * A SARIMA model with known parameters: differencing up front, then the exact Gaussian likelihood of the
 * differenced series from its stationary distribution (statsmodels' {@code simple_differencing=True,
 * initialization='stationary'}). Immutable and thread-safe; the per-series state lives in {@link SarimaOnlineFilter}.
 */
public final class SarimaModel {
    private final SarimaSpec spec;
    private final SarimaParams params;
    private final Differencing differencing;
    private final ArmaStateSpace stateSpace;
    private final double[] initialMean;
    private final double[] initialCovariance;
    /** Computed on first use by {@link #steadyState()}; null after that if the filter never converges. */
    private volatile KalmanSteadyState steadyState;
    private volatile boolean steadyStateKnown;

    /**
     * @throws SarimaException if the parameters do not fit the spec or the AR part is not stationary
     */
    public SarimaModel(SarimaSpec spec, SarimaParams params) {
        this.spec = spec;
        this.params = params;
        this.differencing = new Differencing(spec.order());
        this.stateSpace = new ArmaStateSpace(spec, params);
        this.initialMean = stateSpace.stationaryMean();
        this.initialCovariance = stateSpace.stationaryCovariance();
    }

    public SarimaSpec spec() {
        return spec;
    }

    public SarimaParams params() {
        return params;
    }

    /** The differencing operator of this model. */
    public Differencing differencing() {
        return differencing;
    }

    /** The state space of the differenced series. */
    public ArmaStateSpace stateSpace() {
        return stateSpace;
    }

    /** Mean of the differenced series: intercept / (phi(1) Phi(1)). */
    public double differencedMean() {
        return initialMean[0];
    }

    /**
     * The covariance this model's filter converges to (computed once, shared by every series), or null if it does
     * not converge.
     */
    KalmanSteadyState steadyState() {
        if (!steadyStateKnown) {
            steadyState = KalmanSteadyState.of(stateSpace, initialMean, initialCovariance);
            steadyStateKnown = true;
        }
        return steadyState;
    }

    /** A Kalman filter at this model's stationary initial state that snaps to {@link #steadyState()} on converging. */
    SarimaKalmanFilter newOnlineKalmanFilter() {
        KalmanSteadyState canonical = steadyState();
        return new SarimaKalmanFilter(stateSpace, initialMean, initialCovariance,
                canonical == null ? SarimaKalmanFilter.STEADY_STATE_TOLERANCE
                        : SarimaKalmanFilter.ONLINE_STEADY_STATE_TOLERANCE, canonical);
    }

    /** A Kalman filter at this model's stationary initial state. */
    SarimaKalmanFilter newKalmanFilter() {
        return new SarimaKalmanFilter(stateSpace, initialMean, initialCovariance);
    }

    /**
     * Filters the original series {@code y} (NaN = missing). The arrays refer to the differenced series: index i is
     * time i + d + s*D of {@code y}.
     */
    public OneStepPredictions filter(double[] y) {
        requireLongEnough(y.length);
        return filterDifferenced(differencing.apply(y));
    }

    /** Filters an already differenced series {@code w}. */
    public OneStepPredictions filterDifferenced(double[] w) {
        SarimaKalmanFilter kf = newKalmanFilter();
        return run(kf, w);
    }

    /** Exact log-likelihood of the differenced {@code y}. */
    public double logLikelihood(double[] y) {
        return filter(y).logLikelihood();
    }

    /**
     * Forecasts {@code h} steps after the end of {@code y}. The forecast of the differenced series is always given
     * (missing values are predict-only steps of the filter, as in statsmodels). Integrating it back adds the last
     * d + s D observations: a horizon whose integration needs one that is missing has an original-scale mean,
     * standard error and band of NaN (unknown), not a value made up for the missing observation.
     */
    public SarimaForecast forecast(double[] y, int h) {
        requireLongEnough(y.length);
        SarimaKalmanFilter kf = newKalmanFilter();
        double[] w = differencing.apply(y);
        for (double v : w) {
            kf.update(v);
        }
        double[] history = Arrays.copyOfRange(y, y.length - differencing.degree(), y.length);
        return SarimaForecaster.forecast(stateSpace, kf.stateMean(), kf.stateCovariance(), differencing, history, h);
    }

    /** A fresh online filter for one series. */
    public SarimaOnlineFilter newOnlineFilter() {
        return new SarimaOnlineFilter(this);
    }

    static OneStepPredictions run(SarimaKalmanFilter kf, double[] w) {
        int n = w.length;
        double[] pred = new double[n];
        double[] resid = new double[n];
        double[] var = new double[n];
        double[] llfObs = new double[n];
        double llf = 0.0;
        int observed = 0;
        for (int t = 0; t < n; t++) {
            pred[t] = kf.predictedMean();
            var[t] = kf.predictedVariance();
            resid[t] = w[t] - pred[t];
            llfObs[t] = kf.update(w[t]);
            if (!Double.isNaN(w[t])) {
                llf += llfObs[t];
                observed++;
            }
        }
        return new OneStepPredictions(pred, resid, var, llfObs, llf, observed);
    }

    private void requireLongEnough(int n) {
        if (n <= differencing.degree()) {
            throw new SarimaException("series of length " + n + " is too short for " + spec
                    + ": differencing alone needs more than " + differencing.degree() + " observations");
        }
    }

    @Override
    public String toString() {
        return spec + " " + params;
    }
}
