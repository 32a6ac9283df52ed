package dev.anomaly.models.sarima;

/**
 * The covariance a model's Kalman filter converges to, with its prediction variance and gain: computed once per
 * model ({@link SarimaModel#steadyState()}) and shared by every series' filter, so a converged filter's state is its
 * k-vector mean alone instead of a k*k covariance.
 *
 * @param p        the steady predicted covariance P (row-major k*k, exactly symmetric)
 * @param variance P[0][0], the one-step prediction variance
 * @param gain     the Kalman gain P[.][0] / variance
 */
record KalmanSteadyState(double[] p, double variance, double[] gain) {

    /** Iterations after which a filter that has not converged is taken never to converge. */
    static final int MAX_ITERATIONS = 100_000;
    /**
     * Stands in for the canonical state while it is being computed: the probing filter then converges under the
     * same (online) tolerance as the filters that will use the result, at the same step with the same bits. Its
     * empty covariance never matches a real one, so the probe keeps its own.
     */
    static final KalmanSteadyState PROBE = new KalmanSteadyState(new double[0], Double.NaN, new double[0]);

    /**
     * Runs the covariance recursion of a filter at the model's stationary start until it converges (the recursion
     * does not depend on the observations), or null if it does not within {@link #MAX_ITERATIONS}.
     */
    static KalmanSteadyState of(ArmaStateSpace model, double[] initialMean, double[] initialCovariance) {
        SarimaKalmanFilter f = new SarimaKalmanFilter(model, initialMean, initialCovariance, PROBE);
        for (int i = 0; i < MAX_ITERATIONS && !f.steady(); i++) {
            f.update(0.0);
        }
        if (!f.steady()) {
            return null;
        }
        double[] p = f.stateCovariance();
        int k = model.dimension();
        double variance = p[0];
        double[] gain = new double[k];
        for (int i = 0; i < k; i++) {
            gain[i] = p[i * k] / variance;
        }
        return new KalmanSteadyState(p, variance, gain);
    }
}
