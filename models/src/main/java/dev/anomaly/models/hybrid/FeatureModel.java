package dev.anomaly.models.hybrid;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.lstm.LstmWeights;
import dev.anomaly.models.preprocessing.Scaler;
import dev.anomaly.models.sarima.SarimaModel;

/**
 * The trained, immutable part of one feature's detector: its mode, the SARIMA model (hybrid and sarima modes), the
 * scaler of the LSTM's inputs (standardised SARIMA residuals, or the values in lstm mode), the LSTM weights (hybrid
 * and lstm modes), the MSEs seen on the training history (the starting point of every series' calibration), an
 * optional fixed MSE threshold (NaN = calibrated) and the settings. Shared by every series that uses it;
 * per-series state lives in {@link SarimaEeLstm}.
 */
public record FeatureModel(DetectorMode mode, SarimaModel sarima, Scaler scaler, LstmWeights lstm,
                           double[] calibrationSample, double thresholdOverride, HybridConfig config) {

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
        if (lstm != null && lstm.lastHiddenSize() < 1) {
            throw new IllegalArgumentException("the LSTM has no units");
        }
        calibrationSample = calibrationSample.clone();
        if (!Double.isNaN(thresholdOverride) && !(thresholdOverride > 0)) {
            throw new IllegalArgumentException("a fixed MSE threshold must be > 0, got " + thresholdOverride);
        }
    }

    @Override
    public double[] calibrationSample() {
        return calibrationSample.clone();
    }

    /** A copy that uses a fixed MSE threshold (the THRESHOLDS setting); NaN means calibrated. */
    public FeatureModel withThreshold(double threshold) {
        return new FeatureModel(mode, sarima, scaler, lstm, calibrationSample, threshold, config);
    }

    /**
     * The size, in the series' own units, of one unit of this model's errors: a one-step residual of this size is
     * an MSE of about 1. For the hybrid and sarima modes the standard deviation of SARIMA's innovations times the
     * residual scaler's scale (the residual is standardised by the one, normalised by the other), for the lstm mode
     * the value scaler's scale. Two models' MSEs of one series compare after multiplying by the square of the
     * ratio of their units.
     */
    public double errorUnit() {
        return sarima == null ? scaler.scale() : Math.sqrt(sarima.params().sigma2()) * scaler.scale();
    }

    /** The calibrated MSE threshold after training, or the fixed one. */
    public double threshold() {
        ErrorCalibrator c = SarimaEeLstm.calibrator(this);
        return c.threshold();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureModel m && mode == m.mode && java.util.Objects.equals(sarima == null ? null
                : sarima.params(), m.sarima == null ? null : m.sarima.params())
                && java.util.Objects.equals(sarima == null ? null : sarima.spec(), m.sarima == null ? null
                : m.sarima.spec())
                && java.util.Objects.equals(scaler, m.scaler) && java.util.Objects.equals(lstm, m.lstm)
                && java.util.Arrays.equals(calibrationSample, m.calibrationSample)
                && Double.compare(thresholdOverride, m.thresholdOverride) == 0 && config.equals(m.config);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(mode, scaler, config) * 31 + java.util.Arrays.hashCode(calibrationSample);
    }
}
