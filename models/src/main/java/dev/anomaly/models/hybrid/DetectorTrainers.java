package dev.anomaly.models.hybrid;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.detection.DetectorTrainer;
import dev.anomaly.models.detection.WindowedZScoreDetector;

/** The trainer for each {@link DetectorMode} under one {@link HybridConfig}. */
public final class DetectorTrainers {

    private DetectorTrainers() {
    }

    /** A trainer building detectors of {@code mode}. */
    public static DetectorTrainer forMode(DetectorMode mode, HybridConfig config) {
        return switch (mode) {
            case ZSCORE -> WindowedZScoreDetector.trainer(config.zScoreWindow(), 4.0);
            case HYBRID, SARIMA, LSTM -> new SarimaEeLstmTrainer(mode, config);
        };
    }
}
