package dev.anomaly.job.bench;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.LstmStateMode;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;

/**
 * The synthetic workload of the benchmarks: seasonal series (period {@link #PERIOD}, a per-series phase and level,
 * AR(1) noise) and one hybrid model trained up front on such a series. The benchmark measures the detection path,
 * not model quality, so the LSTM trains for few epochs; its size (hidden units, layers, SEQ_LEN) is the one asked.
 */
public final class BenchModel {
    /** Seasonal period of the synthetic series (samples). */
    public static final int PERIOD = 24;
    static final int TRAINING_POINTS = 720;
    static final int TRAINING_EPOCHS = 3;

    private BenchModel() {
    }

    /** Value {@code step} of synthetic series {@code series}: deterministic, cheap, stationary around its level. */
    public static double value(int series, long step) {
        double phase = (series * 0.6180339887) % 1.0;
        double level = 50 + (series % 7);
        // Cheap deterministic noise: a hash of (series, step) mapped to [-1, 1).
        long h = (series * 0x9E3779B97F4A7C15L) ^ (step * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        double noise = (h >>> 11) * 0x1.0p-53 * 2 - 1;
        return level + 10 * Math.sin(2 * Math.PI * (step / (double) PERIOD + phase)) + 1.5 * noise;
    }

    /** The config the benchmarks train with: the defaults at {@code seqLen}, few epochs, the given period. */
    public static HybridConfig config(int seqLen) {
        return config(seqLen, HybridConfig.defaults().lstmState());
    }

    /** {@link #config(int)} with the given LSTM state mode. */
    public static HybridConfig config(int seqLen, LstmStateMode lstmState) {
        HybridConfig d = HybridConfig.defaults().withSeqLen(seqLen);
        return new HybridConfig(d.seqLen(), d.hiddenSize(), d.layers(), TRAINING_EPOCHS, d.learningRate(),
                d.batchSize(), d.seed(), d.maxP(), PERIOD, d.scoringWindow(), d.alarmProbability(),
                d.maxTrainingPoints(), d.zScoreWindow(), d.alarmCooldown(), d.retrainEvery(), d.thresholdRule(),
                lstmState);
    }

    /** Trains the hybrid model on {@link #TRAINING_POINTS} values of series 0. */
    public static FeatureModel train(int seqLen) {
        return train(seqLen, HybridConfig.defaults().lstmState());
    }

    /** {@link #train(int)} with the given LSTM state mode. */
    public static FeatureModel train(int seqLen, LstmStateMode lstmState) {
        double[] y = new double[TRAINING_POINTS];
        for (int t = 0; t < y.length; t++) {
            y[t] = value(0, t);
        }
        return new SarimaEeLstmTrainer(DetectorMode.HYBRID, config(seqLen, lstmState)).fit(y);
    }
}
