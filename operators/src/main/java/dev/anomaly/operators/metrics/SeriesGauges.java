package dev.anomaly.operators.metrics;

import dev.anomaly.models.records.DetectionResult;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;

/**
 * The gauges of one series: the latest value, prediction (yhat), residuals, MSE, threshold, score, anomaly flag,
 * warm-up flag and the forecast with its band per horizon step, and the counter of its alarms. The task thread
 * writes, the reporter reads.
 */
public final class SeriesGauges {
    private volatile double value = Double.NaN;
    private volatile double yhat = Double.NaN;
    private volatile double residual = Double.NaN;
    private volatile double predictedResidual = Double.NaN;
    private volatile double mse = Double.NaN;
    private volatile double threshold = Double.NaN;
    private volatile double score = Double.NaN;
    private volatile double anomaly;
    private volatile double warmingUp = 1.0;
    /** Alarms raised on this series: a counter, so an alert sees every alarm whatever the scrape interval. */
    private final SimpleCounter alarms = new SimpleCounter();
    private final double[] forecast;
    private final double[] lower;
    private final double[] upper;
    private final String feature;
    private final String instance;
    private final String seriesId;
    /** The series' own group (instance → series) while registered: closing it unregisters every gauge above. */
    private MetricGroup seriesGroup;

    SeriesGauges(String feature, String instance, String seriesId, int horizon) {
        this.feature = feature;
        this.instance = instance;
        this.seriesId = seriesId;
        forecast = new double[horizon];
        lower = new double[horizon];
        upper = new double[horizon];
        java.util.Arrays.fill(forecast, Double.NaN);
        java.util.Arrays.fill(lower, Double.NaN);
        java.util.Arrays.fill(upper, Double.NaN);
    }

    /** The feature this series belongs to. */
    String feature() {
        return feature;
    }

    /**
     * Registers the gauges under {@code featureGroup} (the {@code feature} key/value group) → {@code instance} →
     * {@code series} (each a key/value group, so a Prometheus label) and, per step 1..horizon, under a further
     * {@code horizon} group. The gauges read this object's fields, so registering again (under a new feature group)
     * publishes the same latest values.
     */
    void register(MetricGroup featureGroup) {
        MetricGroup g = featureGroup.addGroup("instance", instance).addGroup("series", seriesId);
        seriesGroup = g;
        g.gauge("value", (Gauge<Double>) () -> value);
        g.gauge("yhat", (Gauge<Double>) () -> yhat);
        g.gauge("residual", (Gauge<Double>) () -> residual);
        g.gauge("predicted_residual", (Gauge<Double>) () -> predictedResidual);
        g.gauge("mse", (Gauge<Double>) () -> mse);
        g.gauge("threshold", (Gauge<Double>) () -> threshold);
        g.gauge("score", (Gauge<Double>) () -> score);
        g.gauge("anomaly", (Gauge<Double>) () -> anomaly);
        g.gauge("warming_up", (Gauge<Double>) () -> warmingUp);
        g.counter("alarms", alarms);
        for (int h = 0; h < forecast.length; h++) {
            int step = h;
            MetricGroup hg = g.addGroup("horizon", String.valueOf(h + 1));
            hg.gauge("forecast", (Gauge<Double>) () -> forecast[step]);
            hg.gauge("forecast_lower", (Gauge<Double>) () -> lower[step]);
            hg.gauge("forecast_upper", (Gauge<Double>) () -> upper[step]);
        }
    }

    /**
     * Unregisters the gauges from the reporters. Flink's public {@link MetricGroup} has no way to do this; the
     * runtime's groups ({@link AbstractMetricGroup}, what every task gets) unregister their metrics when closed, and
     * a later {@code addGroup} of the same name replaces a closed group, so a series that comes back registers
     * afresh. Other groups (tests, no-op groups) have nothing to unregister.
     */
    void unregister() {
        if (seriesGroup instanceof AbstractMetricGroup<?> runtimeGroup) {
            runtimeGroup.close();
        }
        seriesGroup = null;
    }

    /** Publishes {@code r}. */
    public void update(DetectionResult r) {
        if (!r.gap()) {
            value = r.value();
        }
        yhat = r.prediction();
        residual = r.residual();
        predictedResidual = r.predictedResidual();
        mse = r.mse();
        threshold = r.threshold();
        score = r.anomalyScore();
        anomaly = r.anomaly() ? 1.0 : 0.0;
        if (r.anomaly()) {
            alarms.inc();
        }
        warmingUp = r.warmingUp() ? 1.0 : 0.0;
        int n = Math.min(forecast.length, r.horizon());
        double[] m = r.forecastMean();
        double[] lo = r.forecastLower();
        double[] hi = r.forecastUpper();
        for (int h = 0; h < forecast.length; h++) {
            forecast[h] = h < n ? m[h] : Double.NaN;
            lower[h] = h < n ? lo[h] : Double.NaN;
            upper[h] = h < n ? hi[h] : Double.NaN;
        }
    }
}
