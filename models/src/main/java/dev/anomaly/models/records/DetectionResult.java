package dev.anomaly.models.records;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * What the detection operator says about one sample of one series. Fields the model could not compute are NaN
 * (every score field while {@code modelState} is {@link ModelState#WARMING_UP}).
 *
 * @param seriesId the series key (see {@link SeriesIds})
 * @param feature the feature the series belongs to
 * @param metric the metric name
 * @param labels the series' labels, sorted by name
 * @param timestampMs sample time, epoch milliseconds
 * @param value the observed value (NaN for a predict-only step over a gap)
 * @param prediction the one-step prediction of the value (yhat: SARIMA plus the LSTM's residual correction)
 * @param residual value minus SARIMA's prediction
 * @param predictedResidual the LSTM's prediction of that residual
 * @param mse the error the threshold applies to (mean squared difference of actual and predicted normalised
 *     residuals over the scoring window)
 * @param threshold the MSE threshold in force
 * @param anomalyScore calibrated anomaly score in [0, 1]
 * @param anomaly true when the MSE is above the threshold (and outside the alarm cooldown, or far more surprising
 *     than the alarm that opened it)
 * @param gap true for a predict-only step emitted for a missing sample
 * @param modelState which model scored it
 * @param forecastMean forecasts of the next values, one per horizon step (empty while warming up)
 * @param forecastLower lower ends of the 95% forecast bands
 * @param forecastUpper upper ends of the 95% forecast bands
 */
public record DetectionResult(String seriesId, String feature, String metric, Map<String, String> labels,
                              long timestampMs, double value, double prediction, double residual,
                              double predictedResidual, double mse, double threshold, double anomalyScore,
                              boolean anomaly, boolean gap, ModelState modelState, double[] forecastMean,
                              double[] forecastLower, double[] forecastUpper) {

    public DetectionResult {
        Objects.requireNonNull(seriesId, "seriesId");
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(modelState, "modelState");
        labels = SeriesIds.sortedCopy(labels);
        forecastMean = forecastMean == null ? new double[0] : forecastMean;
        forecastLower = forecastLower == null ? new double[0] : forecastLower;
        forecastUpper = forecastUpper == null ? new double[0] : forecastUpper;
        if (forecastLower.length != forecastMean.length || forecastUpper.length != forecastMean.length) {
            throw new IllegalArgumentException("forecast mean, lower and upper must have the same length");
        }
    }

    /** True while the series has no model yet. */
    public boolean warmingUp() {
        return modelState == ModelState.WARMING_UP;
    }

    /** Forecast horizon steps carried. */
    public int horizon() {
        return forecastMean.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectionResult r && seriesId.equals(r.seriesId) && feature.equals(r.feature)
                && metric.equals(r.metric) && labels.equals(r.labels) && timestampMs == r.timestampMs
                && Double.compare(value, r.value) == 0 && Double.compare(prediction, r.prediction) == 0
                && Double.compare(residual, r.residual) == 0
                && Double.compare(predictedResidual, r.predictedResidual) == 0 && Double.compare(mse, r.mse) == 0
                && Double.compare(threshold, r.threshold) == 0
                && Double.compare(anomalyScore, r.anomalyScore) == 0 && anomaly == r.anomaly && gap == r.gap
                && modelState == r.modelState && Arrays.equals(forecastMean, r.forecastMean)
                && Arrays.equals(forecastLower, r.forecastLower) && Arrays.equals(forecastUpper, r.forecastUpper);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seriesId, timestampMs, value, anomalyScore, anomaly, modelState)
                + 31 * Arrays.hashCode(forecastMean);
    }

    @Override
    public String toString() {
        return "DetectionResult[" + seriesId + " @" + timestampMs + " value=" + value + " yhat=" + prediction
                + " mse=" + mse + " threshold=" + threshold + " score=" + anomalyScore + " anomaly=" + anomaly
                + " gap=" + gap + " " + modelState + " forecast=" + Arrays.toString(forecastMean) + "]";
    }
}
