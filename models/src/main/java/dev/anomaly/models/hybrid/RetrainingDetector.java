package dev.anomaly.models.hybrid;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.OnlineDetector;
import java.util.function.IntUnaryOperator;

/**
 * Periodic re-estimation as history grows: keeps the last {@code maxTrainingPoints} values and, when the series'
 * history reaches the length the schedule names, refits the SARIMA part and the scaler on them
 * ({@link SarimaEeLstmTrainer#refit}; the LSTM weights are kept), then goes on with
 * {@link SarimaEeLstm#reestimated}: the new model, positioned after that history, with the detector's calibration,
 * drift CUSUM, confirmation, cooldown and range carried on. Only past values are used, so it stays online.
 *
 * <p>A model that fits its history exactly ({@link SarimaEeLstmTrainer#fitsExactly}: a series that was constant so
 * far) knows nothing of the series' noise, and re-estimating it on that history changes nothing. The first value
 * that departs from the pattern ({@link SarimaEeLstmTrainer#departsFromExactFit}) is scored as usual, and the series
 * is then trained again from that value on, as it was trained at the start: on as many values as its first training
 * had (retried after as many more while too few of them are finite), re-estimated on the schedule after that.
 * Meanwhile the old model goes on scoring (the job instead warms the series up again, unscored). Without this, a series constant for longer than the schedule's limit
 * and active afterwards alarmed once a cooldown for good, its errors beyond anything a calibration can hold, and its
 * prediction stayed at the old constant.
 */
public final class RetrainingDetector implements OnlineDetector {
    private final SarimaEeLstmTrainer trainer;
    /** Maps the history length of the last estimation to that of the next one (0: none). */
    private final IntUnaryOperator schedule;
    private final double[] history;
    private int size;
    private int next;
    /** Values of the series so far, training history included. */
    private long seen;
    /** History length at which the next estimation is due; 0 when none is. */
    private long dueAt;
    private SarimaEeLstm current;
    /** Whether {@link #current}'s model fits the history it was estimated on exactly. */
    private boolean exactFit;
    /** Whether the estimation due next trains a new model (after a departure from an exact fit), not a refit. */
    private boolean trainAfresh;
    /** Values a training afresh uses: as many as the first training had (at least the trainer's minimum). */
    private final int freshTrainingLength;

    /**
     * Wraps {@code initial}, trained by {@code trainer} on {@code trainingHistory}, refitting every {@code every}
     * values.
     */
    public RetrainingDetector(SarimaEeLstmTrainer trainer, SarimaEeLstm initial, double[] trainingHistory,
                              int maxTrainingPoints, int every) {
        this(trainer, initial, trainingHistory, maxTrainingPoints, everyInterval(every));
    }

    /** Wraps {@code initial}, trained by {@code trainer} on {@code trainingHistory}, refitting on {@code schedule}. */
    public RetrainingDetector(SarimaEeLstmTrainer trainer, SarimaEeLstm initial, double[] trainingHistory,
                              int maxTrainingPoints, ReestimationSchedule schedule) {
        this(trainer, initial, trainingHistory, maxTrainingPoints, (IntUnaryOperator) schedule::after);
    }

    private RetrainingDetector(SarimaEeLstmTrainer trainer, SarimaEeLstm initial, double[] trainingHistory,
                               int maxTrainingPoints, IntUnaryOperator schedule) {
        this.trainer = trainer;
        this.schedule = schedule;
        this.history = new double[maxTrainingPoints];
        this.current = initial;
        for (double v : trainingHistory) {
            remember(v);
        }
        this.seen = trainingHistory.length;
        this.dueAt = schedule.applyAsInt(trainingHistory.length);
        this.exactFit = trainer.fitsExactly(initial.model(), trainingHistory);
        this.freshTrainingLength = Math.min(maxTrainingPoints,
                Math.max(trainingHistory.length, trainer.minimumFiniteValues()));
    }

    private static IntUnaryOperator everyInterval(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("retrain interval must be >= 1, got " + every);
        }
        return trainedOn -> trainedOn + every;
    }

    @Override
    public Detection update(double value) {
        Detection d = current.update(value);
        if (exactFit && SarimaEeLstmTrainer.departsFromExactFit(current.model(), d)) {
            // the series starts again from this value: its history so far is the pattern the old model knows
            size = 0;
            seen = 0;
            exactFit = false;
            trainAfresh = true;
            dueAt = freshTrainingLength;
        }
        remember(value);
        seen++;
        if (dueAt > 0 && seen >= dueAt) {
            double[] recent = recent();
            // A history of mostly missing values (a long outage) cannot be fitted: the model in use stays until the
            // next refit is due, instead of the refit failing, and the detection already made being lost, on every
            // value until enough finite ones have arrived.
            if (trainer.finiteValues(recent) >= trainer.minimumFiniteValues()) {
                current = trainAfresh ? trainer.trainedAndPrimed(recent)
                        : current.reestimated(trainer.refit(current.model(), recent), recent);
                trainAfresh = false;
                exactFit = trainer.fitsExactly(current.model(), recent);
            }
            dueAt = trainAfresh ? seen + freshTrainingLength
                    : seen >= Integer.MAX_VALUE / 2 ? 0 : schedule.applyAsInt((int) seen);
        }
        return d;
    }

    /** The detector in use now. */
    public SarimaEeLstm current() {
        return current;
    }

    private void remember(double v) {
        history[next] = v;
        next = (next + 1) % history.length;
        size = Math.min(size + 1, history.length);
    }

    private double[] recent() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = history[Math.floorMod(next - size + i, history.length)];
        }
        return out;
    }
}
