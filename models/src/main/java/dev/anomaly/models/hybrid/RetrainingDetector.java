package dev.anomaly.models.hybrid;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.OnlineDetector;

/**
 * Periodic re-estimation as history grows: keeps the last {@code maxTrainingPoints} values and, every
 * {@code every} scored values, refits the SARIMA part, the scaler and the calibration on them (the LSTM weights are
 * kept), then continues with a detector primed on that history. Only past values are used, so it stays online.
 */
public final class RetrainingDetector implements OnlineDetector {
    private final SarimaEeLstmTrainer trainer;
    private final int every;
    private final double[] history;
    private int size;
    private int next;
    private int sinceRetrain;
    private SarimaEeLstm current;

    /** Wraps {@code initial}, trained by {@code trainer} on {@code trainingHistory}. */
    public RetrainingDetector(SarimaEeLstmTrainer trainer, SarimaEeLstm initial, double[] trainingHistory,
                              int maxTrainingPoints, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("retrain interval must be >= 1, got " + every);
        }
        this.trainer = trainer;
        this.every = every;
        this.history = new double[maxTrainingPoints];
        this.current = initial;
        for (double v : trainingHistory) {
            remember(v);
        }
    }

    @Override
    public Detection update(double value) {
        Detection d = current.update(value);
        remember(value);
        if (++sinceRetrain >= every) {
            sinceRetrain = 0;
            double[] recent = recent();
            FeatureModel refit = trainer.refit(current.model(), recent);
            SarimaEeLstm next = new SarimaEeLstm(refit);
            next.prime(recent);
            current = next;
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
