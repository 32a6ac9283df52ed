package dev.anomaly.models.hybrid;

/**
 * Settings of the SARIMA-EE-LSTM detector and its ablation modes: window length (SEQ_LEN), LSTM size and training,
 * SARIMA order-selection bounds, the scoring window of the MSE, the anomaly-score calibration and how much history
 * training may use.
 *
 * @param seqLen LSTM input window (the design's SEQ_LEN)
 * @param hiddenSize LSTM units per layer
 * @param layers LSTM layers
 * @param epochs maximum LSTM training epochs (early stopping on a validation split)
 * @param learningRate Adam learning rate
 * @param batchSize training mini-batch size
 * @param seed random seed: a fixed seed gives identical models and scores
 * @param maxP largest non-seasonal AR/MA order tried by order selection
 * @param seasonalPeriod seasonal period s; 0 picks one from the data's autocorrelation, -1 disables seasonality
 * @param scoringWindow number of recent squared errors averaged into the MSE
 * @param alarmProbability tail probability under which the MSE is an anomaly (the score is 1 - that probability)
 * @param maxTrainingPoints most recent history points used for training (older ones are ignored)
 * @param zScoreWindow window of the z-score baseline
 * @param alarmCooldown samples after an alarm during which no new alarm is raised (scores still are), except for an
 *                      exceedance at least twice as surprising as that alarm ({@link SarimaEeLstm#ESCALATION})
 * @param retrainEvery refit SARIMA, scaler and calibration on the recent history every this many samples (0 = never)
 * @param thresholdRule how the MSE threshold follows from the calibration history and the alarm probability
 * @param lstmState how the LSTM's prediction is computed per sample (window re-run or carried state); a model file
 *                  without it means {@link LstmStateMode#WINDOW}
 */
public record HybridConfig(int seqLen, int hiddenSize, int layers, int epochs, double learningRate, int batchSize,
                           long seed, int maxP, int seasonalPeriod, int scoringWindow, double alarmProbability,
                           int maxTrainingPoints, int zScoreWindow, int alarmCooldown,
                           int retrainEvery, ThresholdRule thresholdRule, LstmStateMode lstmState)
        implements java.io.Serializable {

    /** A configuration with the exact window re-run ({@link LstmStateMode#WINDOW}). */
    public HybridConfig(int seqLen, int hiddenSize, int layers, int epochs, double learningRate, int batchSize,
                        long seed, int maxP, int seasonalPeriod, int scoringWindow, double alarmProbability,
                        int maxTrainingPoints, int zScoreWindow, int alarmCooldown,
                        int retrainEvery, ThresholdRule thresholdRule) {
        this(seqLen, hiddenSize, layers, epochs, learningRate, batchSize, seed, maxP, seasonalPeriod, scoringWindow,
                alarmProbability, maxTrainingPoints, zScoreWindow, alarmCooldown, retrainEvery, thresholdRule,
                LstmStateMode.WINDOW);
    }

    public HybridConfig {
        if (lstmState == null) {
            lstmState = LstmStateMode.WINDOW;
        }
        require(seqLen >= 2, "seq-len", seqLen, "an integer >= 2");
        require(hiddenSize >= 1, "hidden-size", hiddenSize, "an integer >= 1");
        require(layers >= 1, "layers", layers, "an integer >= 1");
        require(epochs >= 1, "epochs", epochs, "an integer >= 1");
        require(learningRate > 0 && learningRate < 1, "learning-rate", learningRate, "a number in (0, 1)");
        require(batchSize >= 1, "batch-size", batchSize, "an integer >= 1");
        require(maxP >= 0 && maxP <= 5, "max-p", maxP, "an integer in 0..5");
        require(seasonalPeriod >= -1, "seasonal-period", seasonalPeriod, "-1 (none), 0 (auto) or a period >= 2");
        require(seasonalPeriod != 1, "seasonal-period", seasonalPeriod, "-1 (none), 0 (auto) or a period >= 2");
        require(scoringWindow >= 1, "scoring-window", scoringWindow, "an integer >= 1");
        require(alarmProbability > 0 && alarmProbability < 0.5, "alarm-probability", alarmProbability,
                "a probability in (0, 0.5)");
        require(maxTrainingPoints >= 50, "max-training-points", maxTrainingPoints, "an integer >= 50");
        require(zScoreWindow >= 2, "zscore-window", zScoreWindow, "an integer >= 2");
        require(alarmCooldown >= 0, "alarm-cooldown", alarmCooldown, "an integer >= 0");
        require(retrainEvery == 0 || retrainEvery >= 50, "retrain-every", retrainEvery, "0 (never) or >= 50");
        require(thresholdRule != null, "threshold-rule", thresholdRule, "one of tail, quantile, mean_k_sigma");
    }

    /**
     * The defaults used by {@code train}, {@code evaluate} and the streaming job. The LSTM state is carried (one cell
     * step per sample): on the 41 NAB files it makes the same 301 decisions as the window re-run at ~1/17 of the cost
     * (bench/RESULTS.md).
     */
    public static HybridConfig defaults() {
        return new HybridConfig(30, 16, 1, 30, 0.005, 64, 42L, 2, 0, 1, 1e-3, 4000, 1000, 100, 0, ThresholdRule.TAIL,
                LstmStateMode.CARRIED);
    }

    /** A copy with another SEQ_LEN. */
    public HybridConfig withSeqLen(int value) {
        return new HybridConfig(value, hiddenSize, layers, epochs, learningRate, batchSize, seed, maxP,
                seasonalPeriod, scoringWindow, alarmProbability, maxTrainingPoints, zScoreWindow, alarmCooldown,
                retrainEvery, thresholdRule, lstmState);
    }

    /** A copy with another LSTM state mode. */
    public HybridConfig withLstmState(LstmStateMode value) {
        return new HybridConfig(seqLen, hiddenSize, layers, epochs, learningRate, batchSize, seed, maxP,
                seasonalPeriod, scoringWindow, alarmProbability, maxTrainingPoints, zScoreWindow, alarmCooldown,
                retrainEvery, thresholdRule, value);
    }

    /** A copy with another seed. */
    public HybridConfig withSeed(long value) {
        return new HybridConfig(seqLen, hiddenSize, layers, epochs, learningRate, batchSize, value, maxP,
                seasonalPeriod, scoringWindow, alarmProbability, maxTrainingPoints, zScoreWindow, alarmCooldown,
                retrainEvery, thresholdRule, lstmState);
    }

    private static void require(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(key + " must be " + expected + ", got " + value);
        }
    }
}
