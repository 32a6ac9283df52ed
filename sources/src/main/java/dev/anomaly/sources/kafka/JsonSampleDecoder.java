package dev.anomaly.sources.kafka;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anomaly.sources.prometheus.ExpositionSample;
import dev.anomaly.sources.prometheus.MetricType;
import dev.anomaly.sources.prometheus.PrometheusValues;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Decodes one JSON sample in the style of prometheus-kafka-adapter:
 * <pre>{"timestamp":"2024-01-01T00:00:00Z","value":"1.5","name":"node_cpu_seconds_total",
 *  "labels":{"__name__":"node_cpu_seconds_total","instance":"h:9100","cpu":"0","mode":"user"}}</pre>
 * <ul>
 *   <li>{@code timestamp}: an RFC 3339 string (any offset, fractions truncated to milliseconds), or epoch
 *       milliseconds as a JSON integer or a string of digits; negative or fractional milliseconds are rejected;</li>
 *   <li>{@code value}: a JSON number or a string in Go float syntax ({@code "1.5"}, {@code "NaN"},
 *       {@code "+Inf"}, {@code "-Inf"});</li>
 *   <li>{@code name}: the metric name; optional when {@code labels.__name__} holds it ({@code name} wins);</li>
 *   <li>{@code labels}: optional object of string values; {@code __name__} is dropped from the labels.</li>
 * </ul>
 * Other fields are ignored. Every problem throws {@link MalformedRecordException} with its reason.
 */
final class JsonSampleDecoder {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonSampleDecoder() {
    }

    static ExpositionSample decode(byte[] bytes) throws MalformedRecordException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException(MalformedReason.INVALID_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedRecordException(MalformedReason.INVALID_JSON, String.valueOf(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedRecordException(MalformedReason.EMPTY_RECORD, "no JSON document");
        }
        if (!root.isObject()) {
            throw new MalformedRecordException(MalformedReason.WRONG_TYPE,
                    "a sample must be a JSON object, got " + root.getNodeType().name().toLowerCase());
        }
        Map<String, String> labels = labels(root.get("labels"));
        String name = name(root.get("name"), labels.remove("__name__"));
        double value = value(root.get("value"));
        long timestamp = timestamp(root.get("timestamp"));
        return new ExpositionSample(name, labels, value, OptionalLong.of(timestamp), MetricType.UNTYPED);
    }

    private static Map<String, String> labels(JsonNode node) throws MalformedRecordException {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return labels;
        }
        if (!node.isObject()) {
            throw new MalformedRecordException(MalformedReason.WRONG_TYPE, "labels must be an object");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new MalformedRecordException(MalformedReason.WRONG_TYPE,
                        "label " + e.getKey() + " must be a string");
            }
            if (!PrometheusValues.isLabelName(e.getKey())) {
                throw new MalformedRecordException(MalformedReason.BAD_NAME, "invalid label name '" + e.getKey() + "'");
            }
            labels.put(e.getKey(), e.getValue().textValue());
        }
        return labels;
    }

    private static String name(JsonNode node, String fromLabels) throws MalformedRecordException {
        String name;
        if (node == null || node.isNull()) {
            if (fromLabels == null) {
                throw new MalformedRecordException(MalformedReason.MISSING_FIELD, "missing field name");
            }
            name = fromLabels;
        } else if (!node.isTextual()) {
            throw new MalformedRecordException(MalformedReason.WRONG_TYPE, "name must be a string");
        } else {
            name = node.textValue();
        }
        if (!PrometheusValues.isMetricName(name)) {
            throw new MalformedRecordException(MalformedReason.BAD_NAME, "invalid metric name '" + name + "'");
        }
        return name;
    }

    private static double value(JsonNode node) throws MalformedRecordException {
        if (node == null || node.isNull()) {
            throw new MalformedRecordException(MalformedReason.MISSING_FIELD, "missing field value");
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (!node.isTextual()) {
            throw new MalformedRecordException(MalformedReason.WRONG_TYPE, "value must be a number or a string");
        }
        try {
            return PrometheusValues.parseValue(node.textValue());
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(MalformedReason.BAD_VALUE, "value '" + node.textValue()
                    + "' is not a number");
        }
    }

    private static long timestamp(JsonNode node) throws MalformedRecordException {
        if (node == null || node.isNull()) {
            throw new MalformedRecordException(MalformedReason.MISSING_FIELD, "missing field timestamp");
        }
        if (node.isNumber()) {
            try {
                // A double beyond its range (e.g. 1.5E64805250) is infinite, and has no BigDecimal (found by fuzzing).
                BigDecimal ms = node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())
                        ? null : node.decimalValue();
                if (ms == null) {
                    throw new ArithmeticException("infinite");
                }
                return nonNegative(ms.longValueExact(), node.asText());
            } catch (ArithmeticException | NumberFormatException e) {
                throw new MalformedRecordException(MalformedReason.BAD_TIMESTAMP, "timestamp " + node.asText()
                        + " is not whole epoch milliseconds");
            }
        }
        if (!node.isTextual()) {
            throw new MalformedRecordException(MalformedReason.WRONG_TYPE,
                    "timestamp must be an RFC 3339 string or epoch milliseconds");
        }
        String text = node.textValue().strip();
        if (text.matches("-?\\d{1,19}")) {
            try {
                return nonNegative(Long.parseLong(text), text);
            } catch (NumberFormatException e) {
                throw new MalformedRecordException(MalformedReason.BAD_TIMESTAMP, "timestamp '" + text
                        + "' is out of range");
            }
        }
        try {
            Instant t = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
            return nonNegative(t.toEpochMilli(), text);
        } catch (DateTimeException | ArithmeticException e) {
            throw new MalformedRecordException(MalformedReason.BAD_TIMESTAMP, "timestamp '" + text
                    + "' is neither RFC 3339 nor epoch milliseconds");
        }
    }

    private static long nonNegative(long ms, String text) throws MalformedRecordException {
        if (ms < 0) {
            throw new MalformedRecordException(MalformedReason.BAD_TIMESTAMP, "timestamp " + text + " is before 1970");
        }
        return ms;
    }
}
