package dev.anomaly.operators.sinks;

import dev.anomaly.models.records.DetectionResult;
import java.util.Locale;

/**
 * Detection results as Prometheus text-format lines with millisecond timestamps, the form VictoriaMetrics'
 * {@code /api/v1/import/prometheus} ingests: {@code anomaly_detector_yhat}, {@code anomaly_detector_forecast_lower}
 * and {@code _upper} (one step ahead, stamped at the time they forecast), {@code anomaly_detector_score},
 * {@code anomaly_detector_anomaly}, {@code anomaly_detector_mse} and {@code anomaly_detector_threshold}, labelled
 * {@code feature}, {@code instance}, {@code series}. Non-finite values are left out.
 */
public final class PrometheusTextLines {

    private PrometheusTextLines() {
    }

    /** Appends the lines of {@code r} to {@code out}; returns how many were written. */
    public static int append(DetectionResult r, long intervalMs, StringBuilder out) {
        if (r.warmingUp()) {
            return 0;
        }
        StringBuilder labels = new StringBuilder(64).append('{');
        label(labels, "feature", r.feature()).append(',');
        label(labels, "instance", r.labels().getOrDefault("instance", "")).append(',');
        label(labels, "series", r.seriesId()).append('}');
        String l = labels.toString();
        int n = 0;
        n += line(out, "anomaly_detector_yhat", l, r.prediction(), r.timestampMs());
        n += line(out, "anomaly_detector_score", l, r.anomalyScore(), r.timestampMs());
        n += line(out, "anomaly_detector_anomaly", l, r.anomaly() ? 1 : 0, r.timestampMs());
        n += line(out, "anomaly_detector_mse", l, r.mse(), r.timestampMs());
        n += line(out, "anomaly_detector_threshold", l, r.threshold(), r.timestampMs());
        if (r.horizon() > 0) {
            long next = r.timestampMs() + intervalMs;
            n += line(out, "anomaly_detector_forecast", l, r.forecastMean()[0], next);
            n += line(out, "anomaly_detector_forecast_lower", l, r.forecastLower()[0], next);
            n += line(out, "anomaly_detector_forecast_upper", l, r.forecastUpper()[0], next);
        }
        return n;
    }

    private static int line(StringBuilder out, String name, String labels, double v, long ts) {
        if (!Double.isFinite(v)) {
            return 0;
        }
        out.append(name).append(labels).append(' ').append(String.format(Locale.ROOT, "%s", v)).append(' ')
                .append(ts).append('\n');
        return 1;
    }

    private static StringBuilder label(StringBuilder b, String name, String value) {
        b.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"');
    }
}
