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
     * Runs the covariance recursion of a filter at the model's stationary start until it converges (the recursion
     * does not depend on the observations), or null if it does not within {@link #MAX_ITERATIONS}.
     */
    static KalmanSteadyState of(ArmaStateSpace model, double[] initialMean, double[] initialCovariance) {
        // The online tolerance: a gap-free online filter then converges at the same step with the same bits.
        SarimaKalmanFilter f = new SarimaKalmanFilter(model, initialMean, initialCovariance,
                SarimaKalmanFilter.ONLINE_STEADY_STATE_TOLERANCE, null);
        for (int i = 0; i < MAX_ITERATIONS && !f.steady(); i++) {
            f.update(0.0);
        }
        if (!f.steady()) {
            return null;
        }
        return f.convergedState();
    }
}
