package dev.anomaly.sources.victoriametrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anomaly.models.records.Sample;
import dev.anomaly.models.records.SeriesIds;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses the JSON body of VictoriaMetrics' (and Prometheus') {@code /api/v1/query_range}:
 * {@code {"status":"success","data":{"resultType":"matrix","result":[{"metric":{..},"values":[[ts,"v"],..]}]}}}.
 * <ul>
 *   <li>Timestamps are seconds, possibly fractional; they become epoch milliseconds (rounded half up). A point
 *       whose time does not fit a long of milliseconds is skipped and counted as malformed.</li>
 *   <li>Values are strings. {@code "NaN"} becomes a NaN sample (a known gap). {@code "+Inf"}, {@code "-Inf"}
 *       and anything that is not a number are skipped and counted in {@link ParsedRange#malformedValues()}:
 *       infinities carry no magnitude a model could learn from and would poison running statistics.</li>
 *   <li>The series is identified by the feature and its labels without {@code __name__}; the metric name is
 *       {@code __name__} when the series has one, else the feature (computed series, e.g. {@code rate(..)}).</li>
 *   <li>Two series of one answer that differ only in {@code __name__} (a query such as
 *       {@code {__name__=~"a|b"}}) would be one series to the detector, their values interleaved: the values of
 *       every such series after the first are skipped and counted in {@link ParsedRange#ambiguousValues()}, and
 *       {@link ParsedRange#ambiguity()} names the two.</li>
 * </ul>
 */
public final class QueryRangeResponseParser {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ERROR_TEXT = 2000;

    private QueryRangeResponseParser() {
    }

    /**
     * Parses a successful answer.
     *
     * @throws IOException when the body is not JSON, reports {@code "status":"error"}, is not a matrix, or is partial
     *                     ({@code "isPartial":true}, a VictoriaMetrics cluster missing a storage node's series)
     */
    public static ParsedRange parse(String feature, byte[] body) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IOException("query_range answer is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("query_range answer is not a JSON object: " + excerpt(body));
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new IOException("query_range answered status " + root.path("status") + ": " + errorText(body));
        }
        if (root.path("isPartial").asBoolean(false)) {
            // vmselect answers 200 with "isPartial":true when a vmstorage node did not answer: the series it holds
            // are missing. Accepting it would move the split past the range and never read them; an error here is
            // retried (VictoriaMetricsUnavailableException) until the whole range is there.
            throw new IOException("query_range answer is partial (\"isPartial\":true: a vmstorage node did not "
                    + "answer, its series are missing)");
        }
        JsonNode data = root.path("data");
        String resultType = data.path("resultType").asText();
        if (!"matrix".equals(resultType)) {
            throw new IOException("query_range answered resultType '" + resultType + "', expected 'matrix'");
        }
        JsonNode result = data.path("result");
        if (!result.isArray()) {
            throw new IOException("query_range answer has no result array");
        }
        List<Sample> samples = new ArrayList<>();
        int malformed = 0;
        int ambiguous = 0;
        String ambiguity = null;
        Map<String, String> metricOfId = new HashMap<>();
        for (JsonNode series : result) {
            Map<String, String> labels = labels(series.path("metric"));
            String metric = metricName(feature, labels);
            String id = SeriesIds.of(feature, labels);
            String collision = collision(metricOfId, id, metric);
            if (collision != null) {
                ambiguous += series.path("values").size();
                ambiguity = ambiguity == null ? collision : ambiguity;
                continue;
            }
            for (JsonNode point : series.path("values")) {
                if (!point.isArray() || point.size() != 2 || !point.get(0).isNumber()) {
                    malformed++;
                    continue;
                }
                long tsMs;
                try {
                    tsMs = secondsToMillis(point.get(0));
                } catch (ArithmeticException | NumberFormatException outOfRange) {
                    malformed++; // seconds beyond what epoch milliseconds in a long can hold (found by fuzzing)
                    continue;
                }
                double value = parseValue(point.get(1));
                if (Double.isInfinite(value)) {
                    malformed++;
                    continue;
                }
                samples.add(new Sample(id, feature, metric, labels, tsMs, value)); // the id once per series
            }
        }
        samples.sort(Comparator.comparingLong(Sample::timestampMs).thenComparing(Sample::seriesId));
        return new ParsedRange(samples, malformed, ambiguous, ambiguity, result.size());
    }

    /**
     * What an instant query's answer ({@code /api/v1/query}, a vector) says about the query's series.
     *
     * @param count     the series in the answer (0 when it is not a vector of series)
     * @param ambiguity the first two series that differ only in {@code __name__}, described; null when none do
     */
    public record InstantSeries(int count, String ambiguity) {
    }

    /** The series of an instant query's answer; see {@link InstantSeries}. */
    public static InstantSeries instantSeries(String feature, byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            return new InstantSeries(0, null);
        }
        if (root == null || !"vector".equals(root.path("data").path("resultType").asText())) {
            return new InstantSeries(0, null);
        }
        JsonNode result = root.path("data").path("result");
        Map<String, String> metricOfId = new HashMap<>();
        for (JsonNode series : result) {
            Map<String, String> labels = labels(series.path("metric"));
            String collision = collision(metricOfId, SeriesIds.of(feature, labels), metricName(feature, labels));
            if (collision != null) {
                return new InstantSeries(result.size(), collision);
            }
        }
        return new InstantSeries(result.size(), null);
    }

    /**
     * Records the series {@code id} (with its {@code metric} name) of one answer in {@code metricOfId}; if an earlier
     * series of the answer has that id, describes the two, and leaves the map as it was.
     */
    private static String collision(Map<String, String> metricOfId, String id, String metric) {
        String first = metricOfId.putIfAbsent(id, metric);
        return first == null ? null
                : "series " + first + " and " + metric + " are both " + id + " (they differ only in __name__)";
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = metric.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            labels.put(f.getKey(), f.getValue().asText());
        }
        return labels;
    }

    private static String metricName(String feature, Map<String, String> labels) {
        String name = labels.get("__name__");
        return name == null || name.isEmpty() ? feature : name;
    }

    /**
     * The {@code error} text of an error answer ({@code {"status":"error","errorType":"422","error":"..."}}),
     * prefixed by its errorType; the raw body (shortened) when it is not such JSON.
     */
    public static String errorText(byte[] body) {
        try {
            JsonNode root = MAPPER.readTree(body);
            if (root != null && root.isObject() && root.hasNonNull("error")) {
                String type = root.path("errorType").asText("");
                String text = root.get("error").asText();
                return shorten(type.isEmpty() ? text : "errorType " + type + ": " + text);
            }
        } catch (IOException ignored) {
            // not JSON: fall through to the raw text
        }
        return excerpt(body);
    }

    /** @throws ArithmeticException or NumberFormatException when the time does not fit a long of milliseconds */
    private static long secondsToMillis(JsonNode ts) {
        if (ts.isIntegralNumber()) {
            if (!ts.canConvertToLong()) {
                throw new ArithmeticException("timestamp " + ts + " s is out of range");
            }
            return Math.multiplyExact(ts.asLong(), 1000L);
        }
        return ts.decimalValue().movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** NaN for "NaN"; ±Infinity for infinities; infinity also for unparsable text so the caller counts it. */
    private static double parseValue(JsonNode v) {
        String text = v.isTextual() ? v.asText() : v.isNumber() ? v.asText() : null;
        if (text == null) {
            return Double.POSITIVE_INFINITY;
        }
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return new BigDecimal(text).doubleValue();
                } catch (NumberFormatException e) {
                    return Double.POSITIVE_INFINITY;
                }
        }
    }

    private static String excerpt(byte[] body) {
        return shorten(new String(body, StandardCharsets.UTF_8).strip());
    }

    private static String shorten(String s) {
        return s.length() <= MAX_ERROR_TEXT ? s : s.substring(0, MAX_ERROR_TEXT) + "...";
    }
}
