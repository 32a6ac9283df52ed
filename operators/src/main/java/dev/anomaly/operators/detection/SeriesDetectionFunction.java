package dev.anomaly.operators.detection;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridForecast;
import dev.anomaly.models.hybrid.SarimaEeLstm;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import dev.anomaly.models.records.Sample;
import dev.anomaly.operators.metrics.DetectorMetrics;
import dev.anomaly.operators.metrics.SeriesGaugeRegistry;
import dev.anomaly.operators.metrics.SeriesGauges;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed detection operator (key = series id). Per series it keeps a {@link SeriesState} in Flink state and:
 * <ul>
 *   <li>orders samples by event time: each waits in a small buffer until the watermark (bounded out-of-orderness,
 *       set by the job) passes it, or, with {@code scoreOnArrival}, a sample newer than its series' last one is
 *       scored at once; samples at or before the last processed time are dropped and counted as late, repeats of
 *       a timestamp as duplicates;</li>
 *   <li>turns a gap of k missing FETCH_INTERVAL steps into k predict-only steps flagged {@code gap}
 *       (at most {@code maxGapSteps});</li>
 *   <li>scores with the feature's trained model from MODEL_PATH, or self-trains: warming up for
 *       {@code warmupSamples}, then SARIMA, then the full mode once the history allows. The full mode's training
 *       (seconds: it trains an LSTM) runs on a background thread ({@link BackgroundTrainings}) and takes effect
 *       {@code trainingLagSamples} samples after the history it trains on, whatever its speed, so results are the
 *       same in every run and after every restore; the series is scored by its SARIMA stage meanwhile;</li>
 *   <li>emits a {@link DetectionResult} per sample (forecasts included), updates the series' gauges and the
 *       operator's counters; non-finite values go to {@link #DEAD_LETTERS};</li>
 *   <li>forgets a series that sent nothing for {@code seriesTtlMs} of processing time (when set): one
 *       processing-time timer per series, moved forward only when it fires early, so the state is dropped exactly
 *       {@code seriesTtlMs} after the series' last sample. Samples still waiting for the watermark are processed
 *       first, and the series' gauges are unregistered; a later sample starts the series afresh.</li>
 * </ul>
 */
public class SeriesDetectionFunction extends KeyedProcessFunction<String, Sample, DetectionResult> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SeriesDetectionFunction.class);
    /** Samples the operator could not use (infinite values). */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("detector-dead-letters", TypeInformation.of(DeadLetter.class));
    /** Most samples a series may hold waiting for the watermark; beyond it the oldest are processed at once. */
    static final int MAX_PENDING = 1024;

    private final DetectionSettings settings;
    private transient ValueState<SeriesState> state;
    private transient FeatureModels models;
    private transient SelfTraining training;
    private transient BackgroundTrainings trainings;
    private transient DecodedModels decodedModels;
    /** Runs the self-trainings instead of the operator's own pool (tests); null: the pool. */
    private transient Executor trainingExecutor;
    private transient DetectorMetrics metrics;
    private transient SeriesGaugeRegistry gauges;
    /** Results waiting for their LSTM step to run in a batch; null without batching. */
    private transient DeferredResults deferred;
    /** Where completed deferred results go (the operator's output, stamped with the sample's time). */
    private transient Collector<DetectionResult> deferredOut;
    /** Processing time the subtask started at ({@link #startedAt}); 0 when not told (the TTL counts as before). */
    private transient long startedAtMs;

    public SeriesDetectionFunction(DetectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("series", new SeriesStateSerializer()));
        models = FeatureModels.load(settings);
        training = new SelfTraining(settings);
        trainings = trainingExecutor != null ? new BackgroundTrainings(trainingExecutor)
                : BackgroundTrainings.onThreads(settings.trainingThreads(), "self-training");
        gauges = new SeriesGaugeRegistry(getRuntimeContext().getMetricGroup(),
                settings.perSeriesMetrics() ? settings.maxSeriesPerSubtask() : 0, settings.forecastHorizon());
        metrics = new DetectorMetrics(getRuntimeContext().getMetricGroup(), gauges, trainings::pending);
        decodedModels = new DecodedModels(settings.modelCacheSize(), metrics.modelDecodes);
    }

    @Override
    public void close() throws Exception {
        if (trainings != null) {
            trainings.close();
        }
        super.close();
    }

    /** Self-trained models decoded from state so far (the {@code model_decodes} counter). */
    long modelDecodes() {
        return metrics.modelDecodes.getCount();
    }

    /** Runs the self-trainings on {@code executor} instead of a pool of the operator's own; call before open. */
    void runTrainingsOn(Executor executor) {
        this.trainingExecutor = executor;
    }

    /**
     * The processing time at which this subtask started, restored or not: a series' TTL counts from then at the
     * earliest, so the time the job was down does not count as the series' silence. Called by
     * {@link SeriesDetectionOperator} when it opens.
     */
    void startedAt(long processingTimeMs) {
        this.startedAtMs = processingTimeMs;
    }

    /**
     * Batches LSTM steps across series into {@code results}; completed results go to {@code out}. Called by
     * {@link SeriesDetectionOperator} before {@link #open}, which also flushes the batch.
     */
    void deferLstmStepsTo(DeferredResults results, Collector<DetectionResult> out) {
        this.deferred = results;
        this.deferredOut = out;
    }

    /**
     * Completes a result from the batch whose LSTM step has run (or runs it now, alone): forecast, emission and
     * the write of the series' state. The key context must be the result's series.
     */
    void complete(DeferredResults.Deferred d) throws Exception {
        SeriesState st = d.state();
        st.detector.completeDeferredStep();
        emit(d.seriesId(), st, new Scored(d.detection(), d.modelState(), forecast(st, d.detection()), false),
                d.timestampMs(), d.value(), false, deferredOut);
        state.update(st);
    }

    /** Completes the series' result still waiting in the batch, if any, before the series is processed again. */
    private void completePending(String seriesId) throws Exception {
        DeferredResults.Deferred d = deferred == null ? null : deferred.take(seriesId);
        if (d != null) {
            complete(d);
        }
    }

    /** Writes the series' state, unless its result waits in the batch ({@link #complete} writes it then). */
    private void write(String seriesId, SeriesState st) throws Exception {
        if (deferred == null || deferred.isEmpty() || !deferred.holds(seriesId)) {
            state.update(st);
        }
    }

    @Override
    public void processElement(Sample sample, Context ctx, Collector<DetectionResult> out) throws Exception {
        completePending(ctx.getCurrentKey());
        if (Double.isInfinite(sample.value())) {
            metrics.malformed.inc();
            ctx.output(DEAD_LETTERS, new DeadLetter("detector:" + sample.seriesId(), "non_finite_value",
                    "value " + sample.value() + " at " + sample.timestampMs(),
                    sample.toString().getBytes(StandardCharsets.UTF_8), System.currentTimeMillis()));
            return;
        }
        SeriesState st = state.value();
        if (st == null) {
            st = new SeriesState();
            st.feature = sample.feature();
            st.metric = sample.metric();
            st.labels = sample.labels();
        }
        boolean touched = touch(st, ctx);
        long ts = sample.timestampMs();
        if (st.lastTimestampMs != SeriesState.NONE && ts <= st.lastTimestampMs) {
            (ts == st.lastTimestampMs ? metrics.duplicatesDropped : metrics.lateDropped).inc();
            if (touched) {
                state.update(st);
            }
            return;
        }
        if (st.pending.containsKey(ts)) {
            metrics.duplicatesDropped.inc();
            if (touched) {
                state.update(st);
            }
            return;
        }
        if (st.pending.isEmpty()
                && (settings.scoreOnArrival() || ts <= ctx.timerService().currentWatermark())) {
            // Newer than anything processed, and either scored on arrival (the source delivers every series in
            // order) or already behind the watermark: in order for this series, score it now.
            step(ctx.getCurrentKey(), st, ts, sample.value(), out);
        } else {
            st.pending.put(ts, sample.value());
            ctx.timerService().registerEventTimeTimer(ts);
            while (st.pending.size() > MAX_PENDING) {
                // processed ahead of the watermark, so its timer goes too: a stalled watermark must not pile up
                // one timer per sample (kept in state and checkpointed) on top of the bounded buffer
                Map.Entry<Long, Double> oldest = st.pending.pollFirstEntry();
                ctx.timerService().deleteEventTimeTimer(oldest.getKey());
                step(ctx.getCurrentKey(), st, oldest.getKey(), oldest.getValue(), out);
            }
        }
        write(ctx.getCurrentKey(), st);
    }

    /**
     * Records that the series was seen now (processing time) and makes sure its expiry timer is registered, no later
     * than now + TTL. Returns whether the state changed (always, when a TTL is set).
     */
    private boolean touch(SeriesState st, Context ctx) {
        long ttl = settings.seriesTtlMs();
        if (ttl <= 0) {
            return false;
        }
        long now = ctx.timerService().currentProcessingTime();
        st.lastSeenMs = now;
        // No timer yet (a new series, or one restored from format 1), or one later than this TTL allows (the TTL
        // was shortened across a restore): register one at now + TTL. Otherwise the registered timer, when it
        // fires, moves itself to lastSeen + TTL: one timer per series, not one per sample.
        if (st.expiryTimerMs == SeriesState.NONE || st.expiryTimerMs > now + ttl) {
            if (st.expiryTimerMs != SeriesState.NONE) {
                ctx.timerService().deleteProcessingTimeTimer(st.expiryTimerMs);
            }
            st.expiryTimerMs = now + ttl;
            ctx.timerService().registerProcessingTimeTimer(st.expiryTimerMs);
        }
        return true;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DetectionResult> out) throws Exception {
        completePending(ctx.getCurrentKey());
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            onExpiryTimer(timestamp, ctx, out);
            return;
        }
        SeriesState st = state.value();
        if (st == null || st.pending.isEmpty()) {
            return;
        }
        Iterator<Map.Entry<Long, Double>> due = st.pending.headMap(timestamp, true).entrySet().iterator();
        while (due.hasNext()) {
            Map.Entry<Long, Double> e = due.next();
            due.remove();
            step(ctx.getCurrentKey(), st, e.getKey(), e.getValue(), out);
        }
        write(ctx.getCurrentKey(), st);
    }

    /** The series' expiry timer: forgets the series when its last sample is a TTL old, else moves the timer. */
    private void onExpiryTimer(long timestamp, OnTimerContext ctx, Collector<DetectionResult> out) throws Exception {
        SeriesState st = state.value();
        if (st == null || st.expiryTimerMs != timestamp) {
            return; // a timer of a state already forgotten, or one replaced by an earlier timer
        }
        long ttl = settings.seriesTtlMs();
        if (ttl <= 0) { // the TTL was switched off across a restore
            st.expiryTimerMs = SeriesState.NONE;
            state.update(st);
            return;
        }
        // silent since before this subtask started (restored after downtime): the TTL counts from the start, or a
        // maintenance window longer than the TTL would forget every series, trained models and all, on restore
        long expiresAt = Math.max(st.lastSeenMs, startedAtMs) + ttl;
        if (timestamp < expiresAt) {
            st.expiryTimerMs = expiresAt;
            ctx.timerService().registerProcessingTimeTimer(expiresAt);
            state.update(st);
            return;
        }
        // Accepted samples still waiting for the watermark are not lost: they are processed before forgetting.
        while (!st.pending.isEmpty()) {
            Map.Entry<Long, Double> e = st.pending.pollFirstEntry();
            ctx.timerService().deleteEventTimeTimer(e.getKey());
            step(ctx.getCurrentKey(), st, e.getKey(), e.getValue(), out);
        }
        completePending(ctx.getCurrentKey());
        state.clear();
        trainings.forget(ctx.getCurrentKey());
        decodedModels.forget(ctx.getCurrentKey());
        gauges.forget(ctx.getCurrentKey());
        metrics.seriesExpired.inc();
        LOG.debug("series {}: no sample for {} ms: its state is dropped (scoring.series-ttl)", ctx.getCurrentKey(),
                ttl);
    }

    /** Processes one in-order sample, after the predict-only steps of any gap before it. */
    private void step(String seriesId, SeriesState st, long ts, double value, Collector<DetectionResult> out)
            throws Exception {
        completePending(seriesId);
        if (st.lastTimestampMs != SeriesState.NONE) {
            long missing = Math.round((double) (ts - st.lastTimestampMs) / settings.intervalMs()) - 1;
            long steps = Math.min(missing, settings.maxGapSteps());
            for (long k = 1; k <= steps; k++) {
                long at = st.lastTimestampMs + (ts - st.lastTimestampMs) * k / (missing + 1);
                metrics.gapSteps.inc();
                emit(seriesId, st, process(seriesId, st, Double.NaN, false), at, Double.NaN, true, out);
            }
        }
        metrics.samplesProcessed.inc();
        Scored scored = process(seriesId, st, value, deferred != null);
        st.lastTimestampMs = ts;
        if (scored.lstmStepPending()) {
            deferred.add(new DeferredResults.Deferred(seriesId, st, ts, value, scored.detection(),
                    scored.modelState()));
        } else {
            emit(seriesId, st, scored, ts, value, false, out);
        }
    }

    /** A processed value; with {@code lstmStepPending} its forecast is still to be made (after the batch). */
    private record Scored(Detection detection, ModelState modelState, HybridForecast forecast,
                          boolean lstmStepPending) {
        Scored(Detection detection, ModelState modelState, HybridForecast forecast) {
            this(detection, modelState, forecast, false);
        }
    }

    /**
     * Runs {@code value} (NaN = missing) through the series' detector, training it first when due. With
     * {@code mayDefer}, a detector that can leaves its LSTM step to the batch (not when it retrains now).
     */
    private Scored process(String seriesId, SeriesState st, double value, boolean mayDefer)
            throws InterruptedException {
        bind(seriesId, st);
        if (st.stage == ModelState.WARMING_UP) {
            st.remember(value);
            int trainedOn = trainingTakesEffect(seriesId, st, training.firstFitAt());
            if (trainedOn > 0) {
                selfTrain(seriesId, st, trainedOn);
            }
            return new Scored(Detection.warmingUp(value), ModelState.WARMING_UP, null);
        }
        int retrainOn = 0;
        boolean reestimation = false;
        if (st.stage == ModelState.SELF_TRAINED && !st.fullyTrained) {
            st.remember(value);
            retrainOn = trainingTakesEffect(seriesId, st, training.fullFitAt());
        } else if (st.stage == ModelState.SELF_TRAINED && st.nextTrainingAt > 0 && st.historySize > 0) {
            if (settings.reestimateUntil() > 0) {
                st.remember(value);
                retrainOn = reestimationTakesEffect(seriesId, st);
                reestimation = retrainOn > 0;
            } else { // switched off across a restore
                st.forgetHistory();
                st.nextTrainingAt = 0;
            }
        }
        boolean retrain = retrainOn > 0;
        boolean defer = mayDefer && !retrain;
        Detection d = defer ? st.detector.updateDeferringLstmStep(value) : st.detector.update(value);
        ModelState ms = d.warmingUp() ? ModelState.WARMING_UP : st.stage;
        boolean departed = st.exactFit && st.stage == ModelState.SELF_TRAINED
                && SarimaEeLstmTrainer.departsFromExactFit(st.model, d);
        if (defer && st.detector.hasDeferredStep() && !departed) {
            return new Scored(d, ms, null, true);
        }
        HybridForecast f = forecast(st, d);
        if (departed) {
            restartSelfTraining(seriesId, st, value);
        } else if (reestimation) {
            reestimate(seriesId, st, retrainOn);
        } else if (retrain) {
            selfTrain(seriesId, st, retrainOn);
        }
        return new Scored(d, ms, f);
    }

    /** The forecast published with {@code d} (null when off, while warming up, or when the model has none yet). */
    private HybridForecast forecast(SeriesState st, Detection d) {
        if (settings.forecastHorizon() <= 0 || d.warmingUp()) {
            return null;
        }
        try {
            return st.detector.forecast(settings.forecastHorizon());
        } catch (IllegalStateException notYet) {
            return null;
        }
    }

    /** Attaches the model and live detector to a state that was just created, restored or copied. */
    private void bind(String seriesId, SeriesState st) {
        if (st.detector != null) {
            return;
        }
        if (st.stage == ModelState.WARMING_UP && st.historySize == 0 && models.trained(st.feature) != null) {
            st.stage = ModelState.TRAINED;
        }
        if (st.model == null) {
            if (st.stage == ModelState.TRAINED) {
                st.model = models.trained(st.feature);
                if (st.model == null) {
                    LOG.warn("series {}: MODEL_PATH no longer has feature '{}'; the series self-trains from now on",
                            seriesId, st.feature);
                    st.stage = ModelState.WARMING_UP;
                    st.detectorState = null;
                    return;
                }
            } else if (st.stage == ModelState.SELF_TRAINED) {
                st.model = FeatureModels.withCurrentThreshold(
                        decodedModels.get(seriesId, st.feature, st.selfTrainedModel), st.feature, settings);
            } else {
                return;
            }
        }
        if (st.detectorState == null) {
            st.detector = new SarimaEeLstm(st.model);
        } else {
            try {
                st.detector = SarimaEeLstm.restore(st.model, st.detectorState);
            } catch (IllegalArgumentException incompatible) {
                LOG.warn("series {}: restored detector state does not fit the model ({}); starting its filter afresh",
                        seriesId, incompatible.getMessage());
                st.detector = new SarimaEeLstm(st.model);
            }
        }
    }

    /**
     * If the series' next self-training (due once its history reaches {@code fitAt}, or a later retry) takes effect
     * with the current sample, the number of history values it trains on; else 0. A training of the full mode
     * (one with an LSTM) takes effect {@code trainingLagSamples} samples after the history it trains on, and is
     * started in the background at the sample at which it is due; the early SARIMA fit (a fraction of a second)
     * takes effect at once.
     */
    private int trainingTakesEffect(String seriesId, SeriesState st, int fitAt) {
        int due = Math.max(training.dueAt(fitAt, st.history, st.historySize), st.nextTrainingAt);
        int lag = st.historySize >= due && training.trainsLstm(st.history, due) ? settings.trainingLagSamples() : 0;
        return takesEffect(seriesId, st, due, lag, history -> trainingOn(st.feature, history));
    }

    /**
     * If the series' next re-estimation (due once its history reaches {@link SeriesState#nextTrainingAt}) takes
     * effect with the current sample, the number of history values it trains on; else 0. Like a full-mode
     * training it runs in the background from the sample at which it is due and takes effect
     * {@code trainingLagSamples} samples later (at once, on the processing path, with a lag of 0).
     */
    private int reestimationTakesEffect(String seriesId, SeriesState st) {
        String feature = st.feature;
        FeatureModel previous = st.model;
        return takesEffect(seriesId, st, st.nextTrainingAt, settings.trainingLagSamples(),
                history -> () -> training.reestimate(feature, previous, history));
    }

    /**
     * If the training due once the series' history reaches {@code due} values takes effect with the current sample,
     * {@code lag} samples after that history, the number of history values it trains on; else 0. It is started in
     * the background (on the first {@code due} values, by {@code trainingOn}) at the sample at which it is due.
     */
    private int takesEffect(String seriesId, SeriesState st, int due, int lag,
                            Function<double[], Callable<SelfTraining.Trained>> trainingOn) {
        if (st.historySize < due) {
            return 0;
        }
        if (st.historySize >= due + lag) {
            return st.historySize - lag;
        }
        if (!trainings.started(seriesId, due)) {
            trainings.start(seriesId, due, trainingOn.apply(Arrays.copyOf(st.history, due)));
        }
        return 0;
    }

    /**
     * Puts the series' re-estimation on its first {@code trainedOn} history values into effect: the new model goes
     * on from the live detector's online state ({@link SarimaEeLstm#reestimated}), its filter and windows rebuilt
     * from the whole history. The next re-estimation is scheduled, or, after the last one, the history dropped. A
     * failed re-estimation leaves the model as it was.
     */
    private void reestimate(String seriesId, SeriesState st, int trainedOn) throws InterruptedException {
        double[] history = st.history();
        try {
            String feature = st.feature;
            FeatureModel previous = st.model;
            SelfTraining.Trained t = take(seriesId, trainedOn,
                    () -> training.reestimate(feature, previous, Arrays.copyOf(history, trainedOn)));
            st.detector = st.detector.reestimated(t.model(), history);
            st.exactFit = training.fitsExactly(t.model(), Arrays.copyOf(history, trainedOn));
            st.model = t.model();
            st.selfTrainedModel = t.bytes();
            decodedModels.put(seriesId, t.bytes(), t.model());
            st.detectorState = null;
            metrics.selfTrainings.inc();
            LOG.info("series {}: re-estimated its {} model on {} samples (in effect after {})", seriesId,
                    settings.mode().cliName(), trainedOn, history.length);
        } catch (RuntimeException e) {
            metrics.trainingFailures.inc();
            LOG.warn("series {}: re-estimation on {} samples failed ({}); the model stays as it was", seriesId,
                    trainedOn, e.getMessage());
        }
        scheduleReestimation(st, trainedOn);
    }

    /**
     * Starts the self-training of a series whose exactly fitting model ({@link SeriesState#exactFit}) has just seen
     * the series depart from its pattern, at {@code value}: the model knows nothing of the series' noise, so it would
     * alarm once a cooldown for good and go on predicting the pattern. The series warms up again from this value (its
     * detection already made, the alarm included), as a new series does. A training still running for it is
     * abandoned.
     */
    private void restartSelfTraining(String seriesId, SeriesState st, double value) {
        trainings.forget(seriesId);
        decodedModels.forget(seriesId);
        st.stage = ModelState.WARMING_UP;
        st.fullyTrained = false;
        st.exactFit = false;
        st.model = null;
        st.detector = null;
        st.detectorState = null;
        st.selfTrainedModel = null;
        st.nextTrainingAt = 0;
        st.forgetHistory();
        st.remember(value);
        metrics.exactFitRestarts.inc();
        LOG.info("series {}: departed from the pattern its self-trained model fits exactly; it trains again from {}",
                seriesId, value);
    }

    /** Keeps the history for the re-estimation after one on {@code trainedOn} values, or drops it if none follows. */
    private void scheduleReestimation(SeriesState st, int trainedOn) {
        st.nextTrainingAt = settings.reestimation().after(trainedOn);
        if (st.nextTrainingAt == 0) {
            st.forgetHistory();
        } else {
            st.reserveHistory(st.nextTrainingAt + settings.trainingLagSamples());
        }
    }

    private Callable<SelfTraining.Trained> trainingOn(String feature, double[] history) {
        return () -> training.train(feature, history);
    }

    /**
     * Puts the series' self-training into effect: the model trained on the first {@code trainedOn} values of its
     * history (started in the background by {@link #trainingTakesEffect}, or trained now), its detector primed
     * with the whole history.
     */
    private void selfTrain(String seriesId, SeriesState st, int trainedOn) throws InterruptedException {
        double[] history = st.history();
        try {
            // the first trainedOn values of the history copy above, copied again only if the training runs here
            String feature = st.feature;
            SelfTraining.Trained t = take(seriesId, trainedOn,
                    () -> training.train(feature, Arrays.copyOf(history, trainedOn)));
            st.model = t.model();
            st.selfTrainedModel = t.bytes();
            decodedModels.put(seriesId, t.bytes(), t.model());
            st.fullyTrained = t.full() || training.earlyIsFull();
            st.stage = ModelState.SELF_TRAINED;
            st.detector = new SarimaEeLstm(t.model());
            st.detector.prime(history);
            st.exactFit = training.fitsExactly(t.model(), Arrays.copyOf(history, trainedOn));
            st.detectorState = null;
            st.nextTrainingAt = 0;
            if (st.fullyTrained) {
                scheduleReestimation(st, trainedOn);
            }
            metrics.selfTrainings.inc();
            LOG.info("series {}: self-trained {} model on {} samples (in effect after {})", seriesId,
                    st.fullyTrained ? settings.mode().cliName() : "sarima (early)", trainedOn, history.length);
        } catch (RuntimeException e) {
            metrics.trainingFailures.inc();
            st.nextTrainingAt = st.historySize + settings.warmupSamples();
            int cap = settings.hybrid().maxTrainingPoints();
            if (st.historySize > cap) {
                double[] recent = Arrays.copyOfRange(history, history.length - cap, history.length);
                st.forgetHistory();
                for (double v : recent) {
                    st.remember(v);
                }
                st.nextTrainingAt = st.historySize + settings.warmupSamples();
            }
            LOG.warn("series {}: self-training on {} samples failed ({}); retrying after {} more samples", seriesId,
                    trainedOn, e.getMessage(), settings.warmupSamples());
        }
    }

    /** {@link BackgroundTrainings#take}, counting the time this thread spends in it. */
    private SelfTraining.Trained take(String seriesId, int historyLength, Callable<SelfTraining.Trained> training)
            throws InterruptedException {
        long start = System.nanoTime();
        try {
            return trainings.take(seriesId, historyLength, training);
        } finally {
            metrics.selfTrainingWaitMs.inc((System.nanoTime() - start) / 1_000_000);
        }
    }

    private void emit(String seriesId, SeriesState st, Scored s, long ts, double value, boolean gap,
                      Collector<DetectionResult> out) {
        Detection d = s.detection();
        HybridForecast f = s.forecast();
        double score = s.modelState() == ModelState.WARMING_UP ? Double.NaN : d.anomalyScore();
        DetectionResult r = new DetectionResult(seriesId, st.feature, st.metric, st.labels, ts, value,
                d.prediction(), d.residual(), d.predictedResidual(), d.mse(), d.threshold(), score,
                d.anomaly(), gap, s.modelState(), f == null ? null : f.mean(), f == null ? null : f.lower95(),
                f == null ? null : f.upper95());
        if (r.anomaly()) {
            metrics.anomalies.inc();
        }
        SeriesGauges g = gauges.gauges(seriesId, st.feature, st.labels.getOrDefault("instance", ""));
        if (g != null) {
            g.update(r);
        } else if (settings.perSeriesMetrics()) {
            metrics.seriesOverLimit.inc();
        }
        out.collect(r);
    }
}
