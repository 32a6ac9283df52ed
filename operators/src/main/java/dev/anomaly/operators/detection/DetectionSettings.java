package dev.anomaly.operators.detection;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.ReestimationSchedule;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the detection operator needs to know, validated by the job's configuration before it gets here.
 *
 * @param mode detector mode (hybrid, sarima, lstm) for self-trained series
 * @param hybrid model settings (SEQ_LEN, LSTM size and training, calibration)
 * @param modelPath MODEL_PATH: the trained model file, or null to self-train every series
 * @param thresholds THRESHOLDS: fixed MSE thresholds per feature (absent = calibrated)
 * @param intervalMs FETCH_INTERVAL in milliseconds: the expected spacing of samples, for gap detection
 * @param warmupSamples samples a series without a trained model collects before its first (SARIMA) fit
 * @param fullTrainingSamples samples after which such a series is trained in the full mode (hybrid/lstm);
 *     0 or less than the mode's minimum means as soon as the mode's minimum is reached
 * @param maxGapSteps the most predict-only steps emitted for one gap (longer gaps are shortened to this)
 * @param forecastHorizon forecast steps published with each result (0 = none)
 * @param maxSeriesPerSubtask series per subtask that get per-series gauges; more are scored but not exported
 * @param perSeriesMetrics whether per-series gauges are registered at all
 * @param seriesTtlMs a series whose last sample arrived this long ago (processing time, ms) is forgotten: its
 *     state is dropped, and a later sample starts it afresh (warm-up or the file model); 0 = never
 * @param scoreOnArrival true: a sample newer than its series' last one is scored as soon as it arrives (no reorder
 *     buffer, no timer, no wait for the watermark), for sources that deliver every series in time order; false:
 *     samples wait in the reorder buffer until the watermark passes them, which also sorts a series whose samples
 *     come through several splits (Kafka partitions, parallel readers)
 * @param trainingLagSamples samples between the start of a full-mode self-training (hybrid or lstm: the ones that
 *     train an LSTM; in the background, on the history due) and the sample at which its model takes effect (the
 *     series is scored by its previous stage meanwhile); 0 = it runs on the processing path and takes effect at
 *     once, as the early SARIMA fit always does
 * @param trainingThreads background threads per subtask that run self-trainings
 * @param modelCacheSize series per subtask whose decoded self-trained model is kept between samples, for state
 *     backends that hand out a fresh copy of the state on every read (RocksDB); 0 = decode on every sample
 * @param reestimateUntil a self-trained model is estimated again at twice the history of its previous estimation
 *     ({@link ReestimationSchedule}) while that is at most this many samples, the series keeping its history in
 *     state until then; 0 = never (the history is dropped once the full mode is trained). The job's default is
 *     the longest training history, {@link HybridConfig#maxTrainingPoints()}
 */
public record DetectionSettings(DetectorMode mode, HybridConfig hybrid, String modelPath, Map<String, Double> thresholds,
                                long intervalMs, int warmupSamples, int fullTrainingSamples, int maxGapSteps,
                                int forecastHorizon, int maxSeriesPerSubtask, boolean perSeriesMetrics,
                                long seriesTtlMs, boolean scoreOnArrival, int trainingLagSamples,
                                int trainingThreads, int modelCacheSize, int reestimateUntil)
        implements Serializable {

    /** The default {@link #seriesTtlMs}: 7 days. */
    public static final long DEFAULT_SERIES_TTL_MS = 7L * 24 * 3600 * 1000;
    /** The default {@link #trainingLagSamples}. */
    public static final int DEFAULT_TRAINING_LAG_SAMPLES = 10;
    /** The default {@link #modelCacheSize}. */
    public static final int DEFAULT_MODEL_CACHE_SIZE = 10_000;

    /** Settings without re-estimation. */
    public DetectionSettings(DetectorMode mode, HybridConfig hybrid, String modelPath, Map<String, Double> thresholds,
                             long intervalMs, int warmupSamples, int fullTrainingSamples, int maxGapSteps,
                             int forecastHorizon, int maxSeriesPerSubtask, boolean perSeriesMetrics,
                             long seriesTtlMs, boolean scoreOnArrival, int trainingLagSamples,
                             int trainingThreads, int modelCacheSize) {
        this(mode, hybrid, modelPath, thresholds, intervalMs, warmupSamples, fullTrainingSamples, maxGapSteps,
                forecastHorizon, maxSeriesPerSubtask, perSeriesMetrics, seriesTtlMs, scoreOnArrival,
                trainingLagSamples, trainingThreads, modelCacheSize, 0);
    }

    /** Settings whose self-trainings run on the processing path (lag 0, the behaviour before the lag existed). */
    public DetectionSettings(DetectorMode mode, HybridConfig hybrid, String modelPath, Map<String, Double> thresholds,
                             long intervalMs, int warmupSamples, int fullTrainingSamples, int maxGapSteps,
                             int forecastHorizon, int maxSeriesPerSubtask, boolean perSeriesMetrics,
                             long seriesTtlMs, boolean scoreOnArrival) {
        this(mode, hybrid, modelPath, thresholds, intervalMs, warmupSamples, fullTrainingSamples, maxGapSteps,
                forecastHorizon, maxSeriesPerSubtask, perSeriesMetrics, seriesTtlMs, scoreOnArrival, 0, 1,
                DEFAULT_MODEL_CACHE_SIZE);
    }

    /** Settings whose samples are ordered by the watermark. */
    public DetectionSettings(DetectorMode mode, HybridConfig hybrid, String modelPath, Map<String, Double> thresholds,
                             long intervalMs, int warmupSamples, int fullTrainingSamples, int maxGapSteps,
                             int forecastHorizon, int maxSeriesPerSubtask, boolean perSeriesMetrics,
                             long seriesTtlMs) {
        this(mode, hybrid, modelPath, thresholds, intervalMs, warmupSamples, fullTrainingSamples, maxGapSteps,
                forecastHorizon, maxSeriesPerSubtask, perSeriesMetrics, seriesTtlMs, false);
    }

    public DetectionSettings {
        if (mode == null || mode == DetectorMode.ZSCORE) {
            throw new IllegalArgumentException("mode must be hybrid, sarima or lstm, got " + mode);
        }
        if (hybrid == null) {
            throw new IllegalArgumentException("model settings are required");
        }
        thresholds = new TreeMap<>(thresholds == null ? Map.of() : thresholds);
        require(intervalMs > 0, "fetch-interval must be > 0");
        require(warmupSamples >= 1, "warmup.samples must be >= 1");
        require(maxGapSteps >= 0, "scoring.max-gap-steps must be >= 0");
        require(forecastHorizon >= 0 && forecastHorizon <= 1000, "scoring.forecast-horizon must be in 0..1000");
        require(maxSeriesPerSubtask >= 0, "metrics.max-series-per-subtask must be >= 0");
        require(seriesTtlMs >= 0, "scoring.series-ttl must be >= 0 (0 = never forget a series)");
        require(trainingLagSamples >= 0, "warmup.training-lag-samples must be >= 0");
        require(trainingThreads >= 1, "warmup.training-threads must be >= 1");
        require(modelCacheSize >= 0, "scoring.model-cache-size must be >= 0");
        require(reestimateUntil >= 0 && reestimateUntil <= hybrid.maxTrainingPoints(),
                "warmup.reestimate-until must be 0 (never) or at most scoring.max-training-points ("
                        + hybrid.maxTrainingPoints() + "), got " + reestimateUntil);
    }

    /** When self-trained models are estimated again ({@link #reestimateUntil}). */
    public ReestimationSchedule reestimation() {
        return new ReestimationSchedule(reestimateUntil);
    }

    /** Settings with the defaults of the embedded run for {@code mode}, self-training every series. */
    public static DetectionSettings defaults(DetectorMode mode, long intervalMs) {
        HybridConfig hybrid = HybridConfig.defaults();
        return new DetectionSettings(mode, hybrid, null, Map.of(), intervalMs, 12, 120, 60, 6,
                2000, true, DEFAULT_SERIES_TTL_MS, false, DEFAULT_TRAINING_LAG_SAMPLES, 1, DEFAULT_MODEL_CACHE_SIZE,
                hybrid.maxTrainingPoints());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
