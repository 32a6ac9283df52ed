package dev.anomaly.models.hybrid;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.detection.DetectorTrainer;
import dev.anomaly.models.lstm.LstmConfig;
import dev.anomaly.models.lstm.LstmForwardPass;
import dev.anomaly.models.lstm.LstmState;
import dev.anomaly.models.lstm.LstmTrainer;
import dev.anomaly.models.lstm.LstmWeights;
import dev.anomaly.models.preprocessing.RobustScaler;
import dev.anomaly.models.preprocessing.Scaler;
import dev.anomaly.models.preprocessing.WindowBuilder;
import dev.anomaly.models.preprocessing.Windows;
import dev.anomaly.models.sarima.SarimaEstimator;
import dev.anomaly.models.sarima.SarimaException;
import dev.anomaly.models.sarima.SarimaFit;
import dev.anomaly.models.sarima.SarimaModel;
import dev.anomaly.models.sarima.SarimaOnlineFilter;
import dev.anomaly.models.sarima.SarimaOrder;
import dev.anomaly.models.sarima.SarimaParams;
import dev.anomaly.models.sarima.SarimaSpec;
import dev.anomaly.models.sarima.Trend;
import dev.anomaly.models.sarima.OnlineUpdate;
import java.util.Arrays;

/**
 * Trains one feature's detector from its history: differencing order and seasonal period from the
 * autocorrelation, SARIMA orders by AIC, in-sample standardised residuals, a robust scaler, the LSTM on windows of
 * normalised residuals (hybrid) or values (lstm), then primes the calibration on the history. The hybrid keeps the
 * LSTM's residual correction only where it predicts the held-out residuals better than 0 does (SARIMA alone); where
 * it does not, the network's output layer is zeroed, so the hybrid scores that series exactly as SARIMA does.
 */
public final class SarimaEeLstmTrainer implements DetectorTrainer {
    /** Lag-1 autocorrelation above which the series is differenced once (near a unit root). */
    static final double DIFFERENCING_AUTOCORRELATION = 0.98;
    /** Longest seasonal period fitted with seasonal AR/MA terms (longer ones make the state too large). */
    static final int MAX_SEASONAL_ARMA_PERIOD = 48;
    /**
     * Longer periods (a daily cycle of 5-minute samples is 288) are handled by seasonal differencing alone, which
     * costs a ring of s values and no state; it is kept only if it cuts the one-step error variance by this factor.
     */
    static final double SEASONAL_DIFFERENCING_GAIN = 0.8;
    /** Longest period searched for, and the number of periods of history it needs. */
    static final int MAX_PERIOD = 1440;
    static final double PERIODS_NEEDED = 2.0;
    private static final int MAX_LSTM_WINDOWS = 1500;
    /** Floor of the residual scaler's scale (standardised residuals have unit variance under the model). */
    static final double MIN_RESIDUAL_SCALE = 0.1;
    /** How far, relative to the differenced constant (at least 1), a window's values may lie from it and be constant. */
    static final double PERFECT_FIT_TOLERANCE = 1e-9;
    /** Fewest values the SARIMA mode trains on (order selection up to (2,1,2) and its calibration). */
    public static final int MIN_SARIMA_VALUES = 12;

    private final DetectorMode mode;
    private final HybridConfig config;
    /** Whether the hybrid drops an LSTM correction that does not help ({@link #correctionHelps}). */
    private final boolean gateCorrection;

    public SarimaEeLstmTrainer(DetectorMode mode, HybridConfig config) {
        this(mode, config, true);
    }

    private SarimaEeLstmTrainer(DetectorMode mode, HybridConfig config, boolean gateCorrection) {
        if (mode == DetectorMode.ZSCORE) {
            throw new IllegalArgumentException("use WindowedZScoreDetector for the z-score baseline");
        }
        this.mode = mode;
        this.config = config;
        this.gateCorrection = gateCorrection;
    }

    /**
     * This trainer, except that the hybrid keeps the trained LSTM correction even where it does not help: the
     * network as trained, for ablations and for tests that need its predictions in every series.
     */
    public SarimaEeLstmTrainer keepingCorrection() {
        return new SarimaEeLstmTrainer(mode, config, false);
    }

    @Override
    public dev.anomaly.models.detection.OnlineDetector train(double[] history) {
        SarimaEeLstm detector = trainedAndPrimed(history);
        int every = config.retrainEvery();
        return every > 0 ? new RetrainingDetector(this, detector, history, config.maxTrainingPoints(), every) : detector;
    }

    /** A detector of the model fitted on {@code history}, positioned right after it. */
    SarimaEeLstm trainedAndPrimed(double[] history) {
        SarimaEeLstm detector = new SarimaEeLstm(fit(history));
        detector.prime(recent(history));
        return detector;
    }

    /**
     * A trainer of this trainer's detectors whose models are estimated again on {@code schedule} as the series'
     * history grows ({@link RetrainingDetector}); this trainer itself when the schedule never re-estimates.
     */
    public DetectorTrainer reestimatingOn(ReestimationSchedule schedule) {
        if (!schedule.enabled()) {
            return this;
        }
        SarimaEeLstmTrainer trainer = this;
        return new DetectorTrainer() {
            @Override
            public dev.anomaly.models.detection.OnlineDetector train(double[] history) {
                return new RetrainingDetector(trainer, trainedAndPrimed(history), history, config.maxTrainingPoints(),
                        schedule);
            }

            @Override
            public int minimumFiniteValues() {
                return trainer.minimumFiniteValues();
            }

            /** The in-sample detector scores the history it was trained on: nothing to re-estimate there. */
            @Override
            public InSamplePair trainWithInSample(double[] history) {
                InSamplePair pair = trainer.trainWithInSample(history);
                SarimaEeLstm after = (SarimaEeLstm) pair.afterHistory();
                return new InSamplePair(new RetrainingDetector(trainer, after, history, config.maxTrainingPoints(),
                        schedule), pair.atStart());
            }
        };
    }

    @Override
    public InSamplePair trainWithInSample(double[] history) {
        FeatureModel model = fit(history);
        SarimaEeLstm after = new SarimaEeLstm(model);
        after.prime(recent(history));
        return new InSamplePair(after, new SarimaEeLstm(model));
    }

    /**
     * Refits the SARIMA part (orders and seasonal period included), the scaler and the calibration sample of
     * {@code previous} on {@code history}, keeping its LSTM weights: retraining the network is the expensive part,
     * and on NAB it did not pay (docs/EVALUATION.md, session 12). The hybrid's residual correction passes the
     * trainer's gate again on the new residuals ({@link #CORRECTION_GAIN}); where it no longer helps it is dropped.
     */
    public FeatureModel refit(FeatureModel previous, double[] history) {
        double[] y = recent(history);
        FeatureModel uncalibrated;
        if (mode == DetectorMode.LSTM) {
            Scaler scaler = RobustScaler.fit(y);
            uncalibrated = new FeatureModel(mode, null, scaler, previous.lstm(), new double[0], Double.NaN, config);
        } else {
            SarimaModel sarima = fitSarima(y);
            double[] z = standardisedResiduals(sarima, y);
            Scaler scaler = residualScaler(z);
            LstmWeights lstm = previous.lstm();
            if (mode == DetectorMode.HYBRID && gateCorrection && lstm != null && !lstm.predictsZero()
                    && !correctionHelps(lstm, normalise(z, scaler))) {
                lstm = lstm.withZeroOutput();
            }
            uncalibrated = new FeatureModel(mode, sarima, scaler, lstm, new double[0], Double.NaN, config);
        }
        double[] sample = SarimaEeLstm.trainingErrors(uncalibrated, y);
        return new FeatureModel(mode, uncalibrated.sarima(), uncalibrated.scaler(), uncalibrated.lstm(), sample,
                previous.thresholdOverride(), config);
    }

    /**
     * Fits the trained part of the detector.
     *
     * @throws IllegalArgumentException if the history has too few finite values
     */
    public FeatureModel fit(double[] history) {
        double[] y = recent(history);
        int finite = finiteValues(history);
        int needed = minimumFiniteValues();
        if (finite < needed) {
            throw new IllegalArgumentException("training needs at least " + needed + " finite values"
                    + (mode == DetectorMode.SARIMA ? "" : " (2 x seq-len + 20)") + ", got " + finite);
        }
        FeatureModel uncalibrated;
        if (mode == DetectorMode.LSTM) {
            Scaler scaler = RobustScaler.fit(y);
            double[] normalised = normalise(y, scaler);
            uncalibrated = new FeatureModel(mode, null, scaler, trainLstm(normalised), new double[0], Double.NaN,
                    config);
        } else {
            SarimaModel sarima = fitSarima(y);
            double[] z = standardisedResiduals(sarima, y);
            Scaler scaler = residualScaler(z);
            LstmWeights lstm = null;
            if (mode == DetectorMode.HYBRID) {
                double[] inputs = normalise(z, scaler);
                lstm = trainLstm(inputs);
                if (gateCorrection && !correctionHelps(lstm, inputs)) {
                    lstm = lstm.withZeroOutput();
                }
            }
            uncalibrated = new FeatureModel(mode, sarima, scaler, lstm, new double[0], Double.NaN, config);
        }
        double[] sample = SarimaEeLstm.trainingErrors(uncalibrated, y);
        return new FeatureModel(mode, uncalibrated.sarima(), uncalibrated.scaler(), uncalibrated.lstm(), sample,
                Double.NaN, config);
    }

    /**
     * Whether {@code model}, fitted by this trainer on {@code history}, is the perfect-fit model of that history
     * ({@link #perfectFit}): its orders' differencing makes the training window constant (a series that never changed,
     * a perfect ramp, a cycle longer than {@link #MAX_SEASONAL_ARMA_PERIOD} that repeats exactly) and its variance is a
     * floor, not an estimate. Such a model has learned nothing of the series' noise, so once the series departs from
     * the pattern ({@link #departsFromExactFit}) every error lies many orders of magnitude beyond its calibration, and
     * it predicts the pattern, not the series, for as long as it is in use. The re-estimating detectors
     * ({@link RetrainingDetector}, the job's self-training) train such a series again from its first departure. The
     * test is on the model, not only on the data: a window that is constant within perfectFit's tolerance but not
     * within the estimator's got a fitted model, with the noise it has. The lstm mode has no SARIMA part and a unit
     * floor of its own scale, so it is never exact.
     */
    public boolean fitsExactly(FeatureModel model, double[] history) {
        if (model.sarima() == null) {
            return false;
        }
        SarimaModel exact = perfectFit(recent(history), model.sarima().spec().order());
        return exact != null && exact.spec().equals(model.sarima().spec())
                && exact.params().equals(model.sarima().params());
    }

    /**
     * Whether {@code d}, a row scored by the exactly fitting {@code model} ({@link #fitsExactly}), departs from the
     * pattern: its one-step residual exceeds both the model's floor standard deviation (1e-3 of the training
     * history's spread, at least 1e-9) and the tolerance within which {@link #perfectFit} called the window constant
     * ({@link #PERFECT_FIT_TOLERANCE} of the differenced constant, at least of 1, or the rounding of the predicted
     * level, {@link SarimaEstimator#ROUNDING_ULPS} ulps), so neither the rounding of an exact prediction nor the
     * jitter the training window had (an ulp of a level of 1e9) is a departure. False for a row without a residual.
     */
    public static boolean departsFromExactFit(FeatureModel model, Detection d) {
        SarimaParams p = model.sarima().params();
        // perfectFit's own tolerance: the window it called constant may jitter by that much (an ulp of a large level)
        double tolerance = Math.max(Math.sqrt(p.sigma2()),
                PERFECT_FIT_TOLERANCE * Math.max(1.0, Math.abs(p.intercept())));
        if (Double.isFinite(d.prediction())) { // the rounding of a large level, which perfectFit also accepts
            tolerance = Math.max(tolerance, SarimaEstimator.ROUNDING_ULPS * Math.ulp(Math.abs(d.prediction())));
        }
        return Math.abs(d.residual()) > tolerance;
    }

    /**
     * The finite values among those of {@code history} a fit trains on (the last max-training-points): a fit needs
     * {@link #minimumFiniteValues()} of them.
     */
    public int finiteValues(double[] history) {
        int finite = 0;
        for (int i = Math.max(0, history.length - config.maxTrainingPoints()); i < history.length; i++) {
            if (Double.isFinite(history[i])) {
                finite++;
            }
        }
        return finite;
    }

    /**
     * The fewest finite values in the training window that {@link #fit} accepts: 2 x seq-len + 20 when an LSTM is
     * trained (its windows need that), {@link #MIN_SARIMA_VALUES} for the SARIMA mode.
     */
    @Override
    public int minimumFiniteValues() {
        return mode == DetectorMode.SARIMA ? MIN_SARIMA_VALUES : 2 * config.seqLen() + 20;
    }

    /** The part of {@code history} that {@link #fit} trains on: its most recent {@code maxTrainingPoints} values. */
    public double[] trainingWindow(double[] history) {
        return recent(history);
    }

    private double[] recent(double[] history) {
        int n = history.length;
        return n <= config.maxTrainingPoints() ? history
                : Arrays.copyOfRange(history, n - config.maxTrainingPoints(), n);
    }

    /** SARIMA with d from the lag-1 autocorrelation, a seasonal period if one shows, orders by AIC. */
    SarimaModel fitSarima(double[] y) {
        double[] x = Autocorrelation.finiteDemeaned(y);
        double[] acf = Autocorrelation.of(x, 1);
        int d = acf[1] > DIFFERENCING_AUTOCORRELATION ? 1 : 0;
        Trend trend = d == 0 ? Trend.CONSTANT : Trend.NONE;
        int period = switch (config.seasonalPeriod()) {
            case -1 -> 0;
            case 0 -> detectPeriod(y, d);
            default -> config.seasonalPeriod();
        };
        SarimaEstimator estimator = new SarimaEstimator();
        SarimaFit best = null;
        for (int p = 0; p <= config.maxP(); p++) {
            for (int q = 0; q <= config.maxP(); q++) {
                best = better(best, tryFit(estimator, y, new SarimaSpec(SarimaOrder.of(p, d, q), trend)));
            }
        }
        if (best != null && period >= 2 && period <= MAX_SEASONAL_ARMA_PERIOD) {
            SarimaOrder o = best.model().spec().order();
            for (int[] pq : new int[][] {{1, 0}, {0, 1}, {1, 1}}) {
                SarimaOrder seasonal = SarimaOrder.of(o.p(), d, o.q(), pq[0], 0, pq[1], period);
                best = better(best, tryFit(estimator, y, new SarimaSpec(seasonal, trend)));
            }
        } else if (period > MAX_SEASONAL_ARMA_PERIOD) {
            SarimaOrder o = best == null ? SarimaOrder.of(0, d, 0) : best.model().spec().order();
            SarimaOrder seasonalOrder = SarimaOrder.of(o.p(), d, o.q(), 0, 1, 0, period);
            SarimaModel seasonal = fitOrPerfect(estimator, y, new SarimaSpec(seasonalOrder, Trend.NONE));
            // One-step errors of both models are on the scale of y, so their variances compare directly.
            if (seasonal != null && (best == null || seasonal.params().sigma2()
                    < SEASONAL_DIFFERENCING_GAIN * best.model().params().sigma2())) {
                return seasonal;
            }
        }
        if (best == null) {
            SarimaModel perfect = perfectFit(y, SarimaOrder.of(0, d, 0));
            return perfect != null ? perfect : constantLevel(y);
        }
        return best.model();
    }

    /** The fitted model, or the perfect-fit model when the differenced history is constant; null if neither. */
    private static SarimaModel fitOrPerfect(SarimaEstimator estimator, double[] y, SarimaSpec spec) {
        SarimaFit fit = tryFit(estimator, y, spec);
        return fit != null ? fit.model() : perfectFit(y, SarimaOrder.of(0, spec.order().d(), 0,
                0, spec.order().seasonalD(), 0, spec.order().period()));
    }

    /**
     * A history that differencing makes exactly constant (a perfect ramp, an exactly repeating daily pattern) has
     * no ARMA part to fit: its model predicts the differenced constant, with a floor variance of (1e-3 x the
     * series' standard deviation)^2, so any departure from the pattern stands out. Constant means within
     * {@link #PERFECT_FIT_TOLERANCE} of its first value (relative, at least of 1), or constant to the estimator
     * ({@link SarimaEstimator#constantAfterDifferencing}: the rounding of a large level). Null if the differenced
     * history is not constant.
     */
    static SarimaModel perfectFit(double[] y, SarimaOrder order) {
        double[] w = new dev.anomaly.models.sarima.Differencing(order).apply(y);
        double first = Double.NaN;
        double sum = 0;
        int n = 0;
        boolean withinTolerance = true;
        for (double v : w) {
            if (Double.isFinite(v)) {
                if (n > 0 && Math.abs(v - first) > PERFECT_FIT_TOLERANCE * Math.max(1.0, Math.abs(first))) {
                    withinTolerance = false;
                }
                first = n == 0 ? v : first;
                sum += v;
                n++;
            }
        }
        if (n < 2) {
            return null;
        }
        double level = first;
        if (!withinTolerance) {
            // what the estimator calls constant (the rounding of a large level) is constant here too, or the
            // trainer would be left with no model of it
            double mean = sum / n;
            double ss = 0;
            for (double v : w) {
                if (Double.isFinite(v)) {
                    ss += (v - mean) * (v - mean);
                }
            }
            if (!SarimaEstimator.constantAfterDifferencing(Math.sqrt(ss / n), mean,
                    SarimaEstimator.largestMagnitude(y))) {
                return null;
            }
            level = mean;
        }
        double[] centred = Autocorrelation.finiteDemeaned(y);
        double ss = 0;
        for (double v : centred) {
            ss += v * v;
        }
        double floor = Math.max(1e-3 * Math.sqrt(ss / Math.max(1, centred.length)), 1e-9);
        SarimaSpec spec = new SarimaSpec(order, Trend.CONSTANT);
        return new SarimaModel(spec, new SarimaParams(level, new double[0], new double[0], new double[0],
                new double[0], floor * floor));
    }

    private static SarimaFit tryFit(SarimaEstimator estimator, double[] y, SarimaSpec spec) {
        try {
            return estimator.fit(y, spec);
        } catch (SarimaException e) {
            return null;
        }
    }

    private static SarimaFit better(SarimaFit a, SarimaFit b) {
        if (a == null) {
            return b;
        }
        return b != null && b.aic() < a.aic() ? b : a;
    }

    /**
     * The model of a (nearly) constant history: white noise around its level with a small floor variance, so any
     * later change stands out.
     */
    private static SarimaModel constantLevel(double[] y) {
        double sum = 0;
        int n = 0;
        for (double v : y) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        double level = sum / n;
        double sd = 1e-3 * Math.max(1.0, Math.abs(level));
        SarimaSpec spec = new SarimaSpec(SarimaOrder.of(0, 0, 0), Trend.CONSTANT);
        return new SarimaModel(spec, new SarimaParams(level, new double[0], new double[0], new double[0],
                new double[0], sd * sd));
    }

    /**
     * Robust scaler of standardised residuals, whose spread is about 1 when the model fits; its scale is floored
     * at {@link #MIN_RESIDUAL_SCALE} so a model that fits its history perfectly does not divide by ~0.
     */
    static Scaler residualScaler(double[] z) {
        RobustScaler fitted = RobustScaler.fit(z);
        return new RobustScaler(fitted.median(), Math.max(fitted.scale(), MIN_RESIDUAL_SCALE));
    }

    private static double[] standardisedResiduals(SarimaModel model, double[] y) {
        SarimaOnlineFilter f = model.newOnlineFilter();
        double[] z = new double[y.length];
        int n = 0;
        for (double v : y) {
            OnlineUpdate u = f.update(v);
            if (!u.warmingUp() && !u.missing()) {
                z[n++] = u.standardisedResidual();
            }
        }
        return Arrays.copyOf(z, n);
    }

    /**
     * Least fraction of the residuals' mean squared error the LSTM must remove for its correction to be kept. 0.05
     * drops it for 25 of the 41 NAB files and 77 of the 114 SMD columns and raises the hybrid's NAB standard score
     * from 61.46 to 61.95 (docs/EVALUATION.md).
     */
    static final double CORRECTION_GAIN = 0.05;

    /**
     * Whether the network's residual predictions, run with the carried state as the detector runs them, cut the
     * mean squared error of the normalised residuals over the last fifth of the history (it holds the network's
     * validation windows) by at least {@link #CORRECTION_GAIN} against predicting 0 (SARIMA alone).
     */
    boolean correctionHelps(LstmWeights lstm, double[] normalised) {
        LstmForwardPass pass = new LstmForwardPass(lstm);
        LstmState state = pass.newState();
        int from = Math.max(config.seqLen(), normalised.length - normalised.length / 5);
        double withLstm = 0;
        double withZero = 0;
        double prediction = 0;
        for (int t = 0; t < normalised.length; t++) {
            double x = normalised[t];
            if (Double.isNaN(x)) {
                x = 0.0;
            }
            if (t >= from) {
                withLstm += (x - prediction) * (x - prediction);
                withZero += x * x;
            }
            prediction = pass.step(state, x);
        }
        return withLstm < (1.0 - CORRECTION_GAIN) * withZero;
    }

    private LstmWeights trainLstm(double[] normalised) {
        Windows all = new WindowBuilder(config.seqLen()).build(normalised);
        Windows windows = all;
        if (all.size() > MAX_LSTM_WINDOWS) {
            int from = all.size() - MAX_LSTM_WINDOWS;
            windows = new Windows(Arrays.copyOfRange(all.x(), from, all.size()),
                    Arrays.copyOfRange(all.y(), from, all.size()));
        }
        LstmConfig lstm = new LstmConfig(config.layers(), config.hiddenSize(), config.seqLen(), config.epochs(),
                config.learningRate(), config.batchSize(), config.seed(), 0.2, 3);
        return new LstmTrainer(lstm).train(windows).weights();
    }

    private static double[] normalise(double[] v, Scaler scaler) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = scaler.transform(v[i]);
            out[i] = Double.isNaN(s) ? s : Math.max(-SarimaEeLstm.CLIP, Math.min(SarimaEeLstm.CLIP, s));
        }
        return out;
    }

    /**
     * The seasonal period of {@code y}, looked for in the series the model works on (the first differences when
     * d = 1) and, when d = 1 and the differences show none, in the levels: a cycle of abrupt level changes (a daily
     * on/off pattern) is a strong autocorrelation peak in the levels but only a few sparse jumps in the
     * differences, where the noise of every other step hides it (NAB's art_daily_nojump, two days of 288
     * samples, raised 11 false alarms at the daily transitions without it). A period found this way still has to
     * earn its model: seasonal terms by AIC, seasonal differencing by {@link #SEASONAL_DIFFERENCING_GAIN}.
     */
    static int detectPeriod(double[] y, int d) {
        int maxPeriod = Math.min(MAX_PERIOD, (int) (y.length / PERIODS_NEEDED));
        if (d == 0) {
            return SeasonalPeriodDetector.detect(y, maxPeriod);
        }
        int period = SeasonalPeriodDetector.detect(difference(y), maxPeriod);
        return period != 0 ? period : SeasonalPeriodDetector.detect(y, maxPeriod);
    }

    private static double[] difference(double[] y) {
        double[] d = new double[Math.max(0, y.length - 1)];
        for (int i = 1; i < y.length; i++) {
            d[i - 1] = y[i] - y[i - 1];
        }
        return d;
    }
}
