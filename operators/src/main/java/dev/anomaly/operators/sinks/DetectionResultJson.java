package dev.anomaly.operators.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomaly.models.records.DetectionResult;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON event for one detection result, as written to Kafka: series identity, time, value, prediction (yhat),
 * residuals, MSE, threshold, score, flags, model state and the forecast with its 95% band per horizon step.
 * Non-finite numbers are written as null (JSON has no NaN).
 */
public final class DetectionResultJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DetectionResultJson() {
    }

    /** The event as a JSON object. */
    public static ObjectNode toJson(DetectionResult r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("series", r.seriesId());
        n.put("feature", r.feature());
        n.put("metric", r.metric());
        ObjectNode labels = n.putObject("labels");
        for (Map.Entry<String, String> e : r.labels().entrySet()) {
            labels.put(e.getKey(), e.getValue());
        }
        n.put("timestamp_ms", r.timestampMs());
        n.put("timestamp", Instant.ofEpochMilli(r.timestampMs()).toString());
        number(n, "value", r.value());
        number(n, "yhat", r.prediction());
        number(n, "residual", r.residual());
        number(n, "predicted_residual", r.predictedResidual());
        number(n, "mse", r.mse());
        number(n, "threshold", r.threshold());
        number(n, "score", r.anomalyScore());
        n.put("anomaly", r.anomaly());
        n.put("gap", r.gap());
        n.put("model_state", r.modelState().name().toLowerCase(Locale.ROOT));
        ArrayNode forecast = n.putArray("forecast");
        for (int h = 0; h < r.horizon(); h++) {
            ObjectNode f = forecast.addObject();
            f.put("horizon", h + 1);
            number(f, "mean", r.forecastMean()[h]);
            number(f, "lower", r.forecastLower()[h]);
            number(f, "upper", r.forecastUpper()[h]);
        }
        return n;
    }

    /** The event as UTF-8 JSON bytes. */
    public static byte[] toBytes(DetectionResult r) {
        try {
            return JSON.writeValueAsBytes(toJson(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write detection result as JSON", e);
        }
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }
}
