package dev.anomaly.models.hybrid;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.lstm.LstmWeights;
import dev.anomaly.models.preprocessing.Scaler;
import dev.anomaly.models.sarima.SarimaModel;

/**
 * The trained, immutable part of one feature's detector: its mode, the SARIMA model (hybrid and sarima modes), the
 * scaler of the LSTM's inputs (standardised SARIMA residuals, or the values in lstm mode), the LSTM weights (hybrid
 * and lstm modes) and the settings. Shared by every series that uses it; per-series state lives in
 * {@link SarimaEeLstm}.
 */
public record FeatureModel(DetectorMode mode, SarimaModel sarima, Scaler scaler, LstmWeights lstm,
                           HybridConfig config, double thresholdOverride) {

    public FeatureModel {
        if (mode == DetectorMode.ZSCORE) {
            throw new IllegalArgumentException("the z-score baseline has no feature model");
        }
        if ((mode != DetectorMode.LSTM) != (sarima != null)) {
            throw new IllegalArgumentException("mode " + mode.cliName() + (sarima == null ? " needs" : " takes no")
                    + " SARIMA model");
        }
        if ((mode != DetectorMode.SARIMA) != (lstm != null)) {
            throw new IllegalArgumentException("mode " + mode.cliName() + (lstm == null ? " needs" : " takes no")
                    + " LSTM");
        }
        if (lstm != null && lstm.layers().get(0).inputSize() != 1) {
            throw new IllegalArgumentException("the LSTM must take one input per step");
        }
    }

    /** A copy that uses a fixed MSE threshold (the THRESHOLDS setting); NaN means calibrated. */
    public FeatureModel withThreshold(double threshold) {
        return new FeatureModel(mode, sarima, scaler, lstm, config, threshold);
    }
}
