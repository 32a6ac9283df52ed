package dev.anomaly.models.hybrid;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.detection.OnlineDetector;
import dev.anomaly.models.lstm.LstmForwardPass;
import dev.anomaly.models.lstm.LstmState;
import dev.anomaly.models.sarima.OnlineUpdate;
import dev.anomaly.models.sarima.SarimaForecast;
import dev.anomaly.models.sarima.SarimaOnlineFilter;

/**
 * The per-series SARIMA-EE-LSTM detector. For each value: SARIMA's one-step prediction and standardised residual;
 * the LSTM's prediction of that residual from the last SEQ_LEN normalised residuals; the squared difference (the
 * error); its mean over the scoring window (the MSE); and the calibrated score and decision from
 * {@link ErrorCalibrator}, an exceedance being an alarm once a nearby row confirms it or when it is alone but ten
 * times rarer ({@link ExceedanceConfirmation}). The sarima mode uses the normalised residual itself as the error,
 * the lstm mode the LSTM's prediction error on the normalised values. After scoring a value it learns from it
 * (filter state, windows, calibration); the trained parameters in {@link FeatureModel} never change here.
 *
 * <p>Beside the model's error, a value outside the range of the values the detector has seen, by more than
 * {@link #RANGE_TOLERANCE} of that range, is an anomaly too (once {@link #RANGE_MIN_VALUES} values were seen): the
 * "spatial anomaly" of Numenta's NAB detector (same 5% tolerance), which catches level shifts and spikes to new
 * extremes that a model of the residuals only sees as one large error among its calibrated tail. And a sustained
 * change that no single row shows is one when the calibrated CUSUM of the innovations ({@link DriftCusum}) raises it.
 * All three pass the same alarm cooldown, which a far more surprising exceedance breaks through ({@link #ESCALATION}).
 */
public final class SarimaEeLstm implements OnlineDetector {
    /** The LSTM's inputs are clipped to +-CLIP so one outlier cannot dominate its window (errors are not clipped). */
    static final double CLIP = 8.0;
    private static final int CALIBRATION_CAPACITY = 4096;
    /** A value beyond the seen range by more than this fraction of the range is an anomaly. */
    static final double RANGE_TOLERANCE = 0.05;
    /** Values the range must have seen before it raises anomalies (the first ones define it). */
    static final int RANGE_MIN_VALUES = 100;
    /**
     * An exceedance inside the alarm cooldown is still an alarm if its surprise is at least this multiple of the
     * surprise of the alarm that opened the cooldown: its tail probability is at most the square of that alarm's,
     * as improbable as two such alarms together. The cooldown holds back repeats of one event, not a larger one.
     */
    static final double ESCALATION = 2.0;

    private final FeatureModel model;
    private final DetectorMode mode;
    private SarimaOnlineFilter sarima;
    private final LstmForwardPass lstm;
    /**
     * The network predicts exactly 0 whatever its state (the trainer dropped the residual correction,
     * {@link dev.anomaly.models.lstm.LstmWeights#predictsZero()}): its state is not stepped, the prediction stays 0.
     */
    private final boolean silentLstm;
    private final int seqLen;
    private final double[] window;
    private int windowCount;
    private int windowPos;
    private final double[] errors;
    private int errorCount;
    private int errorPos;
    private final ErrorCalibrator calibrator;
    /** Sustained changes below the per-row noise: a calibrated CUSUM of the innovations. */
    private final DriftCusum drift;
    /** Which error exceedances are alarms: confirmed by a nearby row, or far beyond the threshold when alone. */
    private final ExceedanceConfirmation confirmation;
    private int sinceAlarm = Integer.MAX_VALUE;
    /**
     * The surprise of the last alarm ({@link #ESCALATION}); infinite before the first one and after a restore from a
     * state format that did not keep it, so that an open cooldown then holds everything back, as it did.
     */
    private double alarmSurprise = Double.POSITIVE_INFINITY;
    /** WINDOW re-runs the window per sample; the other modes carry {@link #carried} (and {@link #staggered}). */
    private final LstmStateMode lstmState;
    private final LstmState carried;
    private final LstmState staggered;
    private int carriedAge;
    private int staggeredAge;
    /** The LSTM's prediction for the next value from the carried state(s), updated on every push. */
    private double carriedPrediction;
    /** The smallest and largest finite value seen, and how many finite values (capped). */
    private double rangeMin = Double.POSITIVE_INFINITY;
    private double rangeMax = Double.NEGATIVE_INFINITY;
    private int rangeCount;
    /** Whether the value of the current step lies outside the seen range (see the class comment). */
    private boolean outOfRange;
    /** Set during {@link #updateDeferringLstmStep}: the carried step is left to {@link LstmStepBatch}. */
    private boolean deferNextStep;
    /** True while {@link #carried} has not yet taken {@link #deferredInput} (see {@link #hasDeferredStep()}). */
    private boolean stepDeferred;
    private double deferredInput;
    /** Whether an {@link LstmStepBatch} holds this detector (so it is added at most once). */
    boolean queuedForBatch;

    /** A detector at the start of a series. */
    public SarimaEeLstm(FeatureModel model) {
        this(model, null);
    }

    /**
     * A detector at the start of a series for {@code model} that takes over the error calibration, drift CUSUM,
     * exceedance confirmation and cooldown of {@code from}, or starts its own when {@code from} is null.
     */
    private SarimaEeLstm(FeatureModel model, SarimaEeLstm from) {
        this.model = model;
        this.mode = model.mode();
        this.sarima = model.sarima() == null ? null : model.sarima().newOnlineFilter();
        this.lstm = model.lstm() == null ? null : new LstmForwardPass(model.lstm());
        this.silentLstm = model.lstm() != null && model.lstm().predictsZero();
        this.seqLen = model.config().seqLen();
        this.window = new double[2 * seqLen];
        this.errors = new double[model.config().scoringWindow()];
        this.calibrator = from == null ? calibrator(model) : from.calibrator;
        this.drift = from == null ? new DriftCusum(model.config().alarmProbability(), model.config().thresholdRule())
                : from.drift;
        this.confirmation = from == null ? new ExceedanceConfirmation(model.config().alarmProbability())
                : from.confirmation;
        if (from != null) {
            this.sinceAlarm = from.sinceAlarm;
            this.alarmSurprise = from.alarmSurprise;
        }
        this.lstmState = model.config().lstmState();
        boolean carry = lstm != null && lstmState != LstmStateMode.WINDOW;
        this.carried = carry ? lstm.newState() : null;
        this.staggered = carry && lstmState == LstmStateMode.STAGGERED ? lstm.newState() : null;
        // The second state starts half a period late; until its first restart it equals the first one.
        this.staggeredAge = seqLen;
    }

    /** A calibrator seeded with the model's training MSEs (and its fixed threshold, if any). */
    static ErrorCalibrator calibrator(FeatureModel model) {
        ErrorCalibrator c = new ErrorCalibrator(CALIBRATION_CAPACITY, model.config().alarmProbability(),
                model.config().thresholdRule());
        c.seed(model.calibrationSample());
        c.refresh();
        if (!Double.isNaN(model.thresholdOverride())) {
            c.overrideThreshold(model.thresholdOverride());
        }
        return c;
    }

    /** The MSE threshold in force now. */
    public double threshold() {
        return calibrator.threshold();
    }

    /** The trained model behind this detector. */
    public FeatureModel model() {
        return model;
    }

    /**
     * Runs {@code history} through the detector's filter and windows without scoring, so that they are positioned
     * right after it (the calibration already holds the training MSEs).
     */
    public void prime(double[] history) {
        for (double v : history) {
            Step s = step(v);
            drift.prime(s == null ? Double.NaN : s.innovation);
        }
        drift.endPriming();
    }

    /**
     * The detector of {@code model}, a re-estimation of this detector's model on the series so far, positioned
     * after {@code history} (the series' values up to and including the last one this detector saw) and carrying
     * on this detector's online state: the error calibration, the drift CUSUM, the exceedance confirmation, the
     * alarm cooldown and the seen range. Only the filter, the windows and the LSTM state are rebuilt, by running
     * {@code history} through the new model. Priming a fresh detector instead would seed its calibration and drift
     * CUSUM with the new model's in-sample errors, which are smaller than the ones it meets next, and forget a
     * cooldown in progress: on NAB that cost the sarima mode 0.9-4.9 points (docs/EVALUATION.md, session 12).
     * The calibration's errors are carried in the new model's units ({@link FeatureModel#errorUnit}): when a
     * series was quiet in the history of the previous estimation and livelier since, its errors were measured in
     * tiny units, and next to them the new model's errors would not look rare for the 4,096 rows they stay
     * (session 14: +1.2 NAB standard for the hybrid trained on 120 rows as in the job, +2.1 for sarima).
     * The new detector takes over parts of this one, which must not be used afterwards.
     */
    public SarimaEeLstm reestimated(FeatureModel model, double[] history) {
        if (model.mode() != mode || model.config().seqLen() != seqLen
                || model.config().lstmState() != lstmState) {
            throw new IllegalArgumentException("a re-estimated model must keep the mode, SEQ_LEN and lstm-state of "
                    + "the detector it replaces");
        }
        SarimaEeLstm next = new SarimaEeLstm(model, this);
        double ratio = this.model.errorUnit() / model.errorUnit();
        if (ratio != 1.0 && ratio > 0 && Double.isFinite(ratio)) {
            next.calibrator.rescale(ratio * ratio);
        }
        for (double v : history) {
            next.step(v);
        }
        // the range this detector has seen, not that of the history just run (which may be only its recent part)
        next.outOfRange = false;
        next.rangeMin = rangeMin;
        next.rangeMax = rangeMax;
        next.rangeCount = rangeCount;
        return next;
    }

    /** The MSEs this detector's model produces over {@code history}, from a fresh state (the calibration sample). */
    static double[] trainingErrors(FeatureModel model, double[] history) {
        SarimaEeLstm d = new SarimaEeLstm(model);
        double[] out = new double[history.length];
        int n = 0;
        for (double v : history) {
            Step s = d.step(v);
            if (s != null && Double.isFinite(s.mse)) {
                out[n++] = s.mse;
            }
        }
        int keep = Math.min(n, CALIBRATION_CAPACITY);
        return java.util.Arrays.copyOfRange(out, n - keep, n);
    }

    @Override
    public Detection update(double value) {
        Step s = step(value);
        if (s == null || Double.isNaN(s.mse)) {
            // A row without an error still counts towards the calibration's 64-row blocks (see BlockTailWindow).
            calibrator.skipRow();
            confirmation.skipRow();
        }
        if (s == null) {
            return Detection.warmingUp(value);
        }
        if (Double.isNaN(s.mse)) {
            return unscored(value, s);
        }
        double threshold = calibrator.threshold();
        double score = calibrator.score(s.mse);
        double surprise = calibrator.surprise(s.mse);
        double evidence = confirmation.observe(calibrator.isAnomaly(s.mse), surprise);
        boolean drifting = drift.update(s.innovation);
        boolean aboveThreshold = !Double.isNaN(evidence) || outOfRange || drifting;
        if (outOfRange || drifting) {
            // a range or drift alarm scores at least the alarm level: 1 - alarm probability, surprise -log10 of it
            score = Math.max(score, 1.0 - model.config().alarmProbability());
            surprise = Math.max(surprise, -Math.log10(model.config().alarmProbability()));
        }
        double alarmLevel = Double.isNaN(evidence) ? surprise : Math.max(evidence, surprise);
        boolean anomaly = alarm(aboveThreshold, alarmLevel);
        // Every scored point feeds the calibration, anomalies included: on NAB, learning only from normal points
        // left the threshold stuck at the probation period's level and cost 20 points (docs/EVALUATION.md). The
        // price: a dense burst of anomalies raises the threshold until it leaves the calibration window.
        calibrator.learn(s.mse);
        return new Detection(value, s.prediction, s.residual, s.predictedResidual, s.error, s.mse, threshold, score,
                anomaly, false, surprise);
    }

    /**
     * A row the model could not score (a missing value, a difference it could not take): no error, so no error or
     * drift evidence and nothing for the calibration. A finite value outside the seen range is still the range
     * signal's alarm (a glitch of 1e300 that the filter stepped over is the plainest anomaly there is), under the
     * same cooldown and escalation as any alarm; otherwise the row neither alarms nor advances the cooldown.
     */
    private Detection unscored(double value, Step s) {
        double threshold = calibrator.threshold();
        if (!outOfRange) {
            return new Detection(value, s.prediction, Double.NaN, s.predictedResidual, Double.NaN, Double.NaN,
                    threshold, 0.0, false, false);
        }
        double level = -Math.log10(model.config().alarmProbability());
        boolean anomaly = alarm(true, level);
        return new Detection(value, s.prediction, Double.NaN, s.predictedResidual, Double.NaN, Double.NaN,
                threshold, 1.0 - model.config().alarmProbability(), anomaly, false, level);
    }

    /**
     * The alarm decision of a scored row: a row with evidence above the threshold alarms once the cooldown since the
     * last alarm has passed, or within it when its evidence reaches {@link #ESCALATION} times the last alarm's; then
     * advances the cooldown.
     */
    private boolean alarm(boolean aboveThreshold, double alarmLevel) {
        boolean cooledDown = sinceAlarm >= model.config().alarmCooldown();
        boolean anomaly = aboveThreshold && (cooledDown || alarmLevel >= ESCALATION * alarmSurprise);
        sinceAlarm = anomaly ? 0 : (sinceAlarm == Integer.MAX_VALUE ? sinceAlarm : sinceAlarm + 1);
        alarmSurprise = anomaly ? alarmLevel : alarmSurprise;
        return anomaly;
    }

    /**
     * Whether {@link #updateDeferringLstmStep} can leave the LSTM step to a batch: the hybrid and lstm modes with
     * the carried LSTM state (the window and staggered modes step at once), unless the network predicts 0 anyway
     * (a dropped residual correction takes no step at all).
     */
    public boolean defersLstmStep() {
        return carried != null && staggered == null && !silentLstm;
    }

    /**
     * {@link #update} without the carried LSTM step that prepares the prediction for the NEXT value: the returned
     * detection is complete (it used the prediction made for this value), the step is left pending so that
     * {@link LstmStepBatch} can compute it together with other series' steps. Anything else this detector is asked
     * first completes a pending step on its own (same result), so a missed batch costs time, never correctness.
     * Without {@link #defersLstmStep()} this is {@link #update}.
     */
    public Detection updateDeferringLstmStep(double value) {
        deferNextStep = defersLstmStep();
        try {
            return update(value);
        } finally {
            deferNextStep = false;
        }
    }

    /** Whether a carried LSTM step is pending (after {@link #updateDeferringLstmStep}). */
    public boolean hasDeferredStep() {
        return stepDeferred;
    }

    /** Computes a pending carried LSTM step here, alone. */
    public void completeDeferredStep() {
        if (stepDeferred) {
            stepDeferred = false;
            carriedPrediction = lstm.step(carried, deferredInput);
        }
    }

    /** The network of the pending step, for {@link LstmStepBatch}. */
    LstmForwardPass deferredNetwork() {
        return lstm;
    }

    /** The state the pending step advances, for {@link LstmStepBatch}. */
    LstmState deferredState() {
        return carried;
    }

    /** The input of the pending step, for {@link LstmStepBatch}. */
    double deferredInput() {
        return deferredInput;
    }

    /** Takes the prediction of the pending step, which {@link LstmStepBatch} computed on {@link #deferredState()}. */
    void finishDeferredStep(double prediction) {
        stepDeferred = false;
        carriedPrediction = prediction;
    }

    /**
     * What one value gives; {@code innovation} is the signed standardised one-step error whose square is
     * {@code error} (NaN where there is none), the drift CUSUM's input.
     */
    private record Step(double prediction, double residual, double predictedResidual, double error, double mse,
                        double innovation) {
    }

    /** One value through the model; null while SARIMA still collects the values its differencing needs. */
    private Step step(double value) {
        completeDeferredStep();
        outOfRange = observeRange(value);
        if (mode == DetectorMode.LSTM) {
            double predictedNormalised = windowCount >= seqLen ? lstmPrediction() : 0.0;
            double prediction = model.scaler().inverse(predictedNormalised);
            if (Double.isNaN(value)) {
                push(predictedNormalised);
                return new Step(prediction, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double normalised = model.scaler().transform(value);
            double innovation = windowCount >= seqLen ? normalised - predictedNormalised : Double.NaN;
            push(clip(normalised));
            return withMse(new Step(prediction, value - prediction, Double.NaN, square(innovation), Double.NaN,
                    innovation));
        }
        OnlineUpdate u = sarima.update(value);
        if (u.warmingUp()) {
            return null;
        }
        double sd = Math.sqrt(u.variance());
        double predictedNormalised = mode == DetectorMode.HYBRID && windowCount >= seqLen
                ? lstmPrediction() : 0.0;
        double predictedResidual = mode == DetectorMode.HYBRID
                ? residual(predictedNormalised, sd) : Double.NaN;
        double prediction = mode == DetectorMode.HYBRID ? u.prediction() + predictedResidual : u.prediction();
        if (u.missing()) {
            push(0.0);
            return new Step(prediction, Double.NaN, predictedResidual, Double.NaN, Double.NaN, Double.NaN);
        }
        double normalised = model.scaler().transform(u.residual() / sd);
        double innovation = mode == DetectorMode.HYBRID
                ? (windowCount >= seqLen ? normalised - predictedNormalised : Double.NaN)
                : normalised;
        push(clip(normalised));
        return withMse(new Step(prediction, u.residual(), predictedResidual, square(innovation), Double.NaN,
                innovation));
    }

    /** Whether {@code value} lies outside the range seen so far (by the tolerance); then widens the range by it. */
    private boolean observeRange(double value) {
        if (!Double.isFinite(value)) {
            return false;
        }
        double range = rangeMax - rangeMin;
        boolean outside = rangeCount >= RANGE_MIN_VALUES && range > 0
                && (value > rangeMax + RANGE_TOLERANCE * range || value < rangeMin - RANGE_TOLERANCE * range);
        if (Math.abs(value) > SarimaOnlineFilter.MAX_DIFFERENCE) {
            return outside; // a glitch no measurement makes: flagged, but it must not widen the range for good
        }
        rangeMin = Math.min(rangeMin, value);
        rangeMax = Math.max(rangeMax, value);
        rangeCount = Math.min(RANGE_MIN_VALUES, rangeCount + 1);
        return outside;
    }

    private Step withMse(Step s) {
        if (Double.isNaN(s.error)) {
            return s;
        }
        errors[errorPos] = s.error;
        errorPos = (errorPos + 1) % errors.length;
        errorCount = Math.min(errorCount + 1, errors.length);
        double sum = 0;
        for (int i = 0; i < errorCount; i++) {
            sum += errors[i];
        }
        return new Step(s.prediction, s.residual, s.predictedResidual, s.error, sum / errorCount, s.innovation);
    }

    /** The LSTM's prediction of the next normalised value (needs windowCount >= seqLen). */
    private double lstmPrediction() {
        if (silentLstm) {
            return 0.0;
        }
        return lstmState == LstmStateMode.WINDOW ? lstm.predict(window, windowPos, seqLen) : carriedPrediction;
    }

    /**
     * Appends to the window, kept twice in a 2*seqLen array so the last seqLen values are always contiguous, and
     * advances the carried LSTM state(s).
     */
    private void push(double v) {
        if (carried != null && !silentLstm) {
            carry(v);
        }
        int slot = (windowPos + (windowCount >= seqLen ? seqLen : windowCount)) % seqLen;
        if (windowCount >= seqLen) {
            windowPos = (windowPos + 1) % seqLen;
        } else {
            windowCount++;
        }
        if (carried == null) {
            window[slot] = v;
            window[slot + seqLen] = v;
        }
    }

    private void carry(double v) {
        if (deferNextStep) {
            stepDeferred = true;
            deferredInput = v;
            return;
        }
        if (staggered == null) {
            carriedPrediction = lstm.step(carried, v);
            return;
        }
        int period = 2 * seqLen;
        if (carriedAge == period) {
            carried.reset();
            carriedAge = 0;
        }
        if (staggeredAge == period) {
            staggered.reset();
            staggeredAge = 0;
        }
        lstm.feed(carried, v);
        lstm.feed(staggered, v);
        carriedAge++;
        staggeredAge++;
        carriedPrediction = lstm.output(carriedAge >= staggeredAge ? carried : staggered);
    }

    /** The state the current {@link #carriedPrediction} came from. */
    private LstmState predictingState() {
        return staggered == null || carriedAge >= staggeredAge ? carried : staggered;
    }

    /**
     * Forecasts {@code h} steps: SARIMA's forecast on the original scale plus the LSTM's residual correction
     * (hybrid mode; iterated on its own predictions), with SARIMA's 95% band shifted by the same correction.
     */
    public HybridForecast forecast(int h) {
        if (sarima == null || !sarima.ready()) {
            throw new IllegalStateException("forecasts need the SARIMA part and enough history");
        }
        completeDeferredStep();
        SarimaForecast f = sarima.forecast(h);
        double[] mean = f.meanOriginalScale().clone();
        double[] lower = f.lower95OriginalScale().clone();
        double[] upper = f.upper95OriginalScale().clone();
        if (mode == DetectorMode.HYBRID && windowCount >= seqLen) {
            double sd = f.standardError()[0];
            double[] zHat = predictedResiduals(h);
            for (int step = 0; step < h; step++) {
                double correction = residual(zHat[step], sd);
                mean[step] += correction;
                lower[step] += correction;
                upper[step] += correction;
            }
        }
        return new HybridForecast(mean, lower, upper);
    }

    /**
     * The LSTM's normalised residual predictions for the next {@code h} steps, each fed back as the next input
     * (needs windowCount >= seqLen); all 0, without running the network, when it predicts 0 anyway.
     */
    private double[] predictedResiduals(int h) {
        double[] zHat = new double[h];
        if (silentLstm) {
            return zHat;
        }
        if (carried != null) {
            LstmState s = predictingState().copy();
            double z = carriedPrediction;
            for (int step = 0; step < h; step++) {
                zHat[step] = z;
                if (step + 1 < h) {
                    z = lstm.step(s, z);
                }
            }
            return zHat;
        }
        double[] w = new double[seqLen];
        for (int i = 0; i < seqLen; i++) {
            w[i] = window[windowPos + i];
        }
        for (int step = 0; step < h; step++) {
            zHat[step] = lstm.predict(w);
            System.arraycopy(w, 1, w, 0, seqLen - 1);
            w[seqLen - 1] = zHat[step];
        }
        return zHat;
    }

    /** A normalised residual on SARIMA's scale: the scaler's inverse, times the prediction standard deviation. */
    private double residual(double normalised, double sd) {
        return (normalised * model.scaler().scale() + model.scaler().center()) * sd;
    }

    /**
     * Version of the {@link #snapshotState()} format. Format 2 added the LSTM state mode and the carried states;
     * format 3 replaced the calibration ring (64 KiB) by the compact {@link BlockTailWindow} (about 1 KiB). Formats
     * 1 and 2 are still read; their calibration ring is converted to blocks. Format 4 added the seen value range;
     * a state of an older format starts a new range. Format 5 added the rows the calibration block being filled
     * spans (blocks count rows, not errors); in an older state they are its errors, which is what that code counted.
     * Format 6 added the surprise of the last alarm ({@link #ESCALATION}) and the drift CUSUM ({@link DriftCusum});
     * an older state has neither: its open cooldown holds every exceedance back, as that code did, and its CUSUM
     * starts at 0 with an empty calibration, raising nothing until that holds a block of samples. Format 7 added the
     * surprises of the last two rows ({@link ExceedanceConfirmation}); an older state starts with none, so an
     * exceedance in its first two rows can only be confirmed by the rows after it.
     */
    static final int STATE_FORMAT_VERSION = 7;

    /**
     * The per-series mutable state (filter, windows, calibration, alarm cooldown) as bytes; with the same
     * {@link FeatureModel}, {@link #restore} continues exactly where this detector is.
     */
    public byte[] snapshotState() {
        completeDeferredStep();
        return bytes(256 + 8 * window.length, out -> {
            out.writeInt(STATE_FORMAT_VERSION);
            byte[] filter = sarima == null ? new byte[0] : sarima.serializeState();
            out.writeInt(filter.length);
            out.write(filter);
            out.writeInt(seqLen);
            out.writeInt(windowCount);
            out.writeInt(windowPos);
            out.writeByte(lstmState.ordinal());
            if (carried == null) {
                for (int i = 0; i < seqLen; i++) {
                    out.writeDouble(window[i]);
                }
            } else {
                out.writeInt(carriedAge);
                out.writeInt(staggeredAge);
                out.writeDouble(carriedPrediction);
                writeState(carried, out);
                if (staggered != null) {
                    writeState(staggered, out);
                }
            }
            out.writeInt(errors.length);
            out.writeInt(errorCount);
            out.writeInt(errorPos);
            for (double e : errors) {
                out.writeDouble(e);
            }
            out.writeInt(sinceAlarm);
            calibrator.writeState(out);
            out.writeDouble(rangeMin);
            out.writeDouble(rangeMax);
            out.writeInt(rangeCount);
            out.writeDouble(alarmSurprise);
            drift.writeState(out);
            confirmation.writeState(out);
        });
    }

    /** The bytes the drift CUSUM takes at the end of {@link #snapshotState()} (tests build older formats from it). */
    int driftStateBytes() {
        return bytes(64, drift::writeState).length;
    }

    /** Writes state through {@link java.io.DataOutputStream}. */
    private interface StateWriter {
        void write(java.io.DataOutputStream out) throws java.io.IOException;
    }

    private static byte[] bytes(int sizeHint, StateWriter writer) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(sizeHint);
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            writer.write(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A detector for {@code model} in the state {@link #snapshotState()} captured.
     *
     * @throws IllegalArgumentException if the bytes are corrupt or were written for a model of another shape
     */
    public static SarimaEeLstm restore(FeatureModel model, byte[] state) {
        SarimaEeLstm d = new SarimaEeLstm(model);
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(state))) {
            int version = in.readInt();
            if (version < 1 || version > STATE_FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown detector state format " + version + ", this build reads"
                        + " formats 1 to " + STATE_FORMAT_VERSION);
            }
            int filterLength = in.readInt();
            if (filterLength < 0 || filterLength > in.available()) {
                throw new java.io.IOException("filter state of " + filterLength + " bytes, " + in.available()
                        + " left");
            }
            byte[] filter = new byte[filterLength];
            in.readFully(filter);
            if ((filter.length > 0) != (d.sarima != null)) {
                throw new IllegalArgumentException("detector state does not match the model's mode "
                        + model.mode().cliName());
            }
            int seqLen = in.readInt();
            if (seqLen != d.seqLen) {
                throw new IllegalArgumentException("detector state has SEQ_LEN " + seqLen + ", the model "
                        + d.seqLen);
            }
            SarimaOnlineFilter restored = d.sarima == null ? null : SarimaOnlineFilter.restore(model.sarima(), filter);
            d.windowCount = in.readInt();
            d.windowPos = in.readInt();
            if (d.windowCount < 0 || d.windowPos < 0 || d.windowPos >= seqLen) {
                throw new java.io.IOException("window position " + d.windowPos + " / count " + d.windowCount
                        + " for SEQ_LEN " + seqLen);
            }
            // Format 1 (before the lstm-state option) always held the window.
            int stateMode = version == 1 ? LstmStateMode.WINDOW.ordinal() : in.readByte();
            if (stateMode != d.lstmState.ordinal()) {
                throw new IllegalArgumentException("detector state was written with lstm-state "
                        + (stateMode >= 0 && stateMode < LstmStateMode.values().length
                        ? LstmStateMode.values()[stateMode].cliName() : String.valueOf(stateMode))
                        + ", the model uses " + d.lstmState.cliName());
            }
            if (d.carried == null) {
                for (int i = 0; i < seqLen; i++) {
                    double v = in.readDouble();
                    d.window[i] = v;
                    d.window[i + seqLen] = v;
                }
            } else {
                d.carriedAge = in.readInt();
                d.staggeredAge = in.readInt();
                d.carriedPrediction = in.readDouble();
                readState(d.carried, in);
                if (d.staggered != null) {
                    readState(d.staggered, in);
                }
            }
            int errorsLength = in.readInt();
            if (errorsLength != d.errors.length) {
                throw new IllegalArgumentException("detector state has a scoring window of " + errorsLength
                        + ", the model " + d.errors.length);
            }
            d.errorCount = in.readInt();
            d.errorPos = in.readInt();
            if (d.errorCount < 0 || d.errorCount > errorsLength || d.errorPos < 0 || d.errorPos >= errorsLength) {
                throw new java.io.IOException("scoring window position " + d.errorPos + " / count " + d.errorCount
                        + " of " + errorsLength);
            }
            for (int i = 0; i < errorsLength; i++) {
                d.errors[i] = in.readDouble();
            }
            d.sinceAlarm = in.readInt();
            if (version >= 3) {
                d.calibrator.readState(in, version >= 5);
            } else {
                d.calibrator.readLegacyState(in);
            }
            if (version >= 4) {
                d.rangeMin = in.readDouble();
                d.rangeMax = in.readDouble();
                d.rangeCount = in.readInt();
                boolean valid = d.rangeCount == 0 || d.rangeMin <= d.rangeMax;
                if (d.rangeCount < 0 || d.rangeCount > RANGE_MIN_VALUES || !valid) {
                    throw new IllegalArgumentException("corrupt detector state: value range [" + d.rangeMin + ", "
                            + d.rangeMax + "] after " + d.rangeCount + " values");
                }
            }
            if (version >= 6) {
                d.alarmSurprise = in.readDouble();
                if (!(d.alarmSurprise >= 0)) {
                    throw new IllegalArgumentException("corrupt detector state: alarm surprise " + d.alarmSurprise);
                }
                d.drift.readState(in);
            }
            if (version >= 7) {
                d.confirmation.readState(in);
            }
            if (restored != null) {
                d.sarima = restored;
            }
            return d;
        } catch (java.io.IOException | dev.anomaly.models.sarima.SarimaException e) {
            throw new IllegalArgumentException("corrupt detector state: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // anything else the bytes provoke in a nested restore (an index, a buffer underflow) is corruption too:
            // the caller starts the detector afresh instead of failing on every sample of the series
            throw new IllegalArgumentException("corrupt detector state: " + e, e);
        }
    }

    private static void writeState(LstmState state, java.io.DataOutput out) throws java.io.IOException {
        for (double v : state.toArray()) {
            out.writeDouble(v);
        }
    }

    private static void readState(LstmState state, java.io.DataInput in) throws java.io.IOException {
        double[] values = new double[state.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        state.restore(values);
    }

    private static double clip(double v) {
        return Math.max(-CLIP, Math.min(CLIP, v));
    }

    private static double square(double v) {
        return v * v;
    }
}
