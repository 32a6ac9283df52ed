package dev.anomaly.models.sarima;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

/**
 * Fits SARIMA models by exact maximum likelihood of the differenced series (statsmodels' {@code
 * simple_differencing=True}), with sigma2 concentrated out and AR/MA parts transformed to stay stationary and
 * invertible. The search (BOBYQA from Commons Math; Brent in one dimension) starts from the Hannan-Rissanen
 * estimates, from white noise and, for ARMA models, from a persistent AR root nearly cancelled by its MA root, and
 * keeps the best optimum.
 */
public final class SarimaEstimator {
    private static final double BOUND = 40.0;
    private static final double MEAN_BOUND = 50.0;

    private final int maxEvaluations;

    /** An estimator allowing 4,000 likelihood evaluations per start. */
    public SarimaEstimator() {
        this(4000);
    }

    public SarimaEstimator(int maxEvaluations) {
        if (maxEvaluations < 10) {
            throw new SarimaException("maxEvaluations must be >= 10, got " + maxEvaluations);
        }
        this.maxEvaluations = maxEvaluations;
    }

    /**
     * Rounding, in units in the last place of the series' largest magnitude, that differencing values near a large
     * level leaves behind (1e6 + 0.1 t differences to 0.1 give or take 1e-10, an ulp of 1e6): a spread within it is
     * no variation a model could describe.
     */
    public static final int ROUNDING_ULPS = 16;

    /**
     * Whether a differenced series with standard deviation {@code sd} and mean {@code mean}, of an original series
     * whose largest magnitude is {@code largestMagnitude}, is constant: {@code sd} within 1e-12 of max(1, |mean|), or
     * within {@link #ROUNDING_ULPS} ulps of the largest magnitude.
     */
    public static boolean constantAfterDifferencing(double sd, double mean, double largestMagnitude) {
        return !(sd > Math.max(1e-12 * Math.max(1.0, Math.abs(mean)), ROUNDING_ULPS * Math.ulp(largestMagnitude)));
    }

    /**
     * Fits {@code spec} to the original series {@code y} (NaN = missing).
     *
     * @throws SarimaException if the series is too short for the order, constant after differencing, or no start
     *     point gives a finite likelihood
     */
    public SarimaFit fit(double[] y, SarimaSpec spec) {
        Differencing differencing = new Differencing(spec.order());
        double[] w = differencing.apply(y);
        int observed = 0;
        double sum = 0.0;
        for (double v : w) {
            if (Double.isFinite(v)) {
                observed++;
                sum += v;
            } else if (!Double.isNaN(v)) {
                throw new SarimaException("series contains an infinite value; only finite numbers or NaN (missing)"
                        + " are allowed");
            }
        }
        int parameters = spec.parameterCount();
        requireEnoughObservations(spec, observed);
        double mean = sum / observed;
        double ss = 0.0;
        for (double v : w) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double sd = Math.sqrt(ss / observed);
        if (constantAfterDifferencing(sd, mean, largestMagnitude(y))) {
            throw new SarimaException("series is constant after differencing (every value " + mean + ", within"
                    + " rounding); a SARIMA likelihood needs variation");
        }
        ConcentratedLikelihood likelihood = new ConcentratedLikelihood(spec, w, mean, sd);
        List<double[]> starts = startPoints(spec, w, mean, likelihood);
        Best best = new Best();
        int evaluations = 0;
        boolean converged = false;
        for (double[] start : starts) {
            Result r = optimise(likelihood, start, best);
            evaluations += r.evaluations;
            converged |= r.converged;
        }
        if (best.x == null) {
            throw new SarimaException("no start point gave a finite likelihood for " + spec);
        }
        SarimaParams unit = likelihood.unitScaleParams(best.x);
        ConcentratedLikelihood.Evaluation ev = likelihood.evaluate(unit);
        SarimaParams params = new SarimaParams(unit.intercept(), unit.ar(), unit.ma(), unit.seasonalAr(),
                unit.seasonalMa(), ev.sigma2());
        double llf = ev.logLikelihood();
        double aic = -2.0 * llf + 2.0 * parameters;
        // statsmodels' nobs: every period of the differenced series, missing ones included (BIC uses it too)
        double bic = -2.0 * llf + parameters * Math.log(w.length);
        return new SarimaFit(new SarimaModel(spec, params), llf, aic, bic, w.length, evaluations, converged);
    }

    /** The largest |y_t| over the finite values of {@code y} (0 if none). */
    public static double largestMagnitude(double[] y) {
        double m = 0.0;
        for (double v : y) {
            if (Double.isFinite(v)) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /**
     * Fails unless {@code observed} observations after differencing are enough to identify {@code spec}: at least
     * its parameter count + 3 and its state dimension + 2.
     */
    public static void requireEnoughObservations(SarimaSpec spec, int observed) {
        int needed = Math.max(spec.parameterCount() + 3, spec.order().stateDimension() + 2);
        if (observed < needed) {
            throw new SarimaException("series too short for " + spec + ": " + observed
                    + " usable observations after differencing, need at least " + needed);
        }
    }

    private static List<double[]> startPoints(SarimaSpec spec, double[] w, double mean, ConcentratedLikelihood lik) {
        double[] centred = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double v = Double.isNaN(w[i]) ? 0.0 : w[i];
            centred[i] = spec.hasIntercept() ? v - mean : v;
        }
        double[][] hr = HannanRissanen.startValues(spec.order(), centred);
        List<double[]> starts = new ArrayList<>();
        starts.add(lik.unconstrained(mean, hr[0], hr[1], hr[2], hr[3]));
        starts.add(new double[lik.dimension()]);
        // A persistent AR root nearly cancelled by an MA root is a second optimum that likelihoods of spiky or
        // level-shifting series often prefer (statsmodels' innovations MLE finds it where its lbfgs does not).
        if (spec.order().p() > 0 && spec.order().q() > 0) {
            double[] ar = new double[spec.order().p()];
            double[] ma = new double[spec.order().q()];
            ar[0] = 0.9;
            ma[0] = -0.8;
            starts.add(lik.unconstrained(mean, ar, ma, hr[2], hr[3]));
        }
        return starts;
    }

    private Result optimise(ConcentratedLikelihood likelihood, double[] start, Best best) {
        int dim = start.length;
        Counter counter = new Counter(likelihood, best);
        if (dim == 0) {
            counter.value(start);
            return new Result(1, true);
        }
        double[] lower = new double[dim];
        double[] upper = new double[dim];
        for (int i = 0; i < dim; i++) {
            double b = (i == 0 && likelihood.hasMeanParameter()) ? MEAN_BOUND : BOUND;
            lower[i] = -b;
            upper[i] = b;
            start[i] = Math.max(-b + 1e-3, Math.min(b - 1e-3, start[i]));
        }
        try {
            if (dim == 1) {
                BrentOptimizer brent = new BrentOptimizer(1e-10, 1e-12);
                brent.optimize(new MaxEval(maxEvaluations), GoalType.MAXIMIZE,
                        new UnivariateObjectiveFunction(v -> counter.value(new double[] {v})),
                        new SearchInterval(lower[0], upper[0], start[0]));
            } else {
                BOBYQAOptimizer bobyqa = new BOBYQAOptimizer(2 * dim + 1, 0.5, 1e-8);
                bobyqa.optimize(new MaxEval(maxEvaluations), GoalType.MAXIMIZE, new ObjectiveFunction(counter::value),
                        new InitialGuess(start), new SimpleBounds(lower, upper));
            }
            return new Result(counter.count, true);
        } catch (TooManyEvaluationsException e) {
            return new Result(counter.count, false);
        } catch (MathIllegalStateException e) {
            // BOBYQA gives up ("trust region step has failed to reduce Q") on flat or noisy likelihoods; the best
            // point it saw is kept, but this start does not count as converged.
            return new Result(counter.count, false);
        }
    }

    private record Result(int evaluations, boolean converged) {
    }

    /** The best point seen across all starts (the optimisers do not return it when they run out of evaluations). */
    private static final class Best {
        double[] x;
        double value = Double.NEGATIVE_INFINITY;
    }

    private static final class Counter {
        private final ConcentratedLikelihood likelihood;
        private final Best best;
        int count;

        Counter(ConcentratedLikelihood likelihood, Best best) {
            this.likelihood = likelihood;
            this.best = best;
        }

        double value(double[] x) {
            count++;
            double v = likelihood.value(x);
            if (v > best.value) {
                best.value = v;
                best.x = x.clone();
            }
            return Double.isFinite(v) ? v : -1e300;
        }
    }
}
