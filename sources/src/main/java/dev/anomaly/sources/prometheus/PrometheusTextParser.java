package dev.anomaly.sources.prometheus;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parser of the Prometheus text exposition format 0.0.4 (what node-exporter's {@code /metrics} serves).
 *
 * <p>Accepted: {@code # HELP name text} and {@code # TYPE name counter|gauge|histogram|summary|untyped} lines
 * (at most one of each per name, TYPE before the family's first sample), other {@code #} lines as comments, blank
 * lines, {@code \r\n} line ends, and sample lines {@code name[{label="value",...}] value [timestamp_ms]} with
 * label values escaped as {@code \\}, {@code \"} and {@code \n}, an optional trailing comma in the label set,
 * values in Go float syntax ({@code NaN}, {@code +Inf}, {@code -Inf}; see {@link PrometheusValues#parseValue}) and
 * an optional integer millisecond timestamp.
 *
 * <p>Histogram and summary families: by default their lines ({@code x_bucket{le=..}}, {@code x{quantile=..}},
 * {@code x_sum}, {@code x_count}) are passed through as individual samples, each tagged with the family's type, so a
 * feature can map any of them like a gauge (or a counter for {@code _sum}/{@code _count}/{@code _bucket});
 * {@link #skippingHistogramsAndSummaries()} drops them instead.
 *
 * <p>Like Prometheus, any syntax error rejects the whole text: the exception names the line and the problem.
 * Thread-safe and serializable (no state between calls).
 */
public final class PrometheusTextParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final boolean skipHistogramsAndSummaries;

    /** A parser that passes histogram and summary lines through as samples. */
    public PrometheusTextParser() {
        this(false);
    }

    private PrometheusTextParser(boolean skipHistogramsAndSummaries) {
        this.skipHistogramsAndSummaries = skipHistogramsAndSummaries;
    }

    /** A parser that drops the samples of families declared {@code histogram} or {@code summary}. */
    public static PrometheusTextParser skippingHistogramsAndSummaries() {
        return new PrometheusTextParser(true);
    }

    public boolean skipsHistogramsAndSummaries() {
        return skipHistogramsAndSummaries;
    }

    /** All samples of one exposition, in order. */
    public List<ExpositionSample> parse(String text) throws ExpositionFormatException {
        Map<String, MetricType> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> sampled = new HashSet<>();
        List<ExpositionSample> out = new ArrayList<>();
        int lineNo = 0;
        int start = 0;
        int n = text.length();
        while (start <= n) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            lineNo++;
            int lineEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            Line line = new Line(text, start, lineEnd, lineNo);
            line.skipBlanks();
            if (!line.atEnd()) {
                if (line.peek() == '#') {
                    line.next();
                    comment(line, types, helped, sampled);
                } else {
                    ExpositionSample s = sample(line, types);
                    sampled.add(s.name());
                    if (!(skipHistogramsAndSummaries
                            && (s.type() == MetricType.HISTOGRAM || s.type() == MetricType.SUMMARY))) {
                        out.add(s);
                    }
                }
            }
            start = end + 1;
        }
        return out;
    }

    private static void comment(Line line, Map<String, MetricType> types, Set<String> helped, Set<String> sampled)
            throws ExpositionFormatException {
        line.skipBlanks();
        String keyword = line.word();
        if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
            return; // an ordinary comment
        }
        if (!line.skipBlanks()) {
            throw line.error("expected a metric name after # " + keyword);
        }
        String name = line.word();
        if (!PrometheusValues.isMetricName(name)) {
            throw line.error("invalid metric name '" + name + "' in # " + keyword);
        }
        if (keyword.equals("HELP")) {
            if (!helped.add(name)) {
                throw line.error("second HELP line for " + name);
            }
            return; // the docstring is free text
        }
        line.skipBlanks();
        String word = line.rest().strip();
        MetricType type = MetricType.fromWord(word);
        if (type == null) {
            throw line.error("unknown metric type '" + word + "' for " + name);
        }
        if (types.containsKey(name)) {
            throw line.error("second TYPE line for " + name);
        }
        if (sampled.contains(name)) {
            throw line.error("TYPE line for " + name + " after its samples");
        }
        types.put(name, type);
    }

    private static ExpositionSample sample(Line line, Map<String, MetricType> types) throws ExpositionFormatException {
        String name = line.metricName();
        if (name.isEmpty()) {
            throw line.error("expected a metric name, found '" + line.peek() + "'");
        }
        boolean blank = line.skipBlanks();
        Map<String, String> labels = new LinkedHashMap<>();
        if (!line.atEnd() && line.peek() == '{') {
            line.next();
            labels(line, labels);
            blank = line.skipBlanks();
        }
        if (line.atEnd()) {
            throw line.error("missing value for " + name);
        }
        if (!blank && labels.isEmpty()) {
            throw line.error("unexpected character '" + line.peek() + "' in metric name " + name);
        }
        String valueText = line.word();
        double value;
        try {
            value = PrometheusValues.parseValue(valueText);
        } catch (NumberFormatException e) {
            throw line.error("invalid value '" + valueText + "' for " + name);
        }
        OptionalLong timestamp = OptionalLong.empty();
        if (line.skipBlanks() && !line.atEnd()) {
            String ts = line.word();
            try {
                if (!ts.matches("-?\\d+")) {
                    throw new NumberFormatException();
                }
                timestamp = OptionalLong.of(Long.parseLong(ts));
            } catch (NumberFormatException e) {
                throw line.error("invalid timestamp '" + ts + "' for " + name + " (integer milliseconds expected)");
            }
            line.skipBlanks();
        }
        if (!line.atEnd()) {
            throw line.error("unexpected text '" + line.rest() + "' after the sample of " + name);
        }
        return new ExpositionSample(name, labels, value, timestamp, typeOf(name, types));
    }

    private static void labels(Line line, Map<String, String> labels) throws ExpositionFormatException {
        while (true) {
            line.skipBlanks();
            if (line.atEnd()) {
                throw line.error("unterminated label set");
            }
            if (line.peek() == '}') {
                line.next();
                return;
            }
            String label = line.labelName();
            if (label.isEmpty()) {
                throw line.error("invalid label name at '" + line.rest() + "'");
            }
            line.skipBlanks();
            line.expect('=', "'=' after label " + label);
            line.skipBlanks();
            line.expect('"', "'\"' opening the value of label " + label);
            String value = line.quoted(label);
            if (labels.put(label, value) != null) {
                throw line.error("duplicate label " + label);
            }
            line.skipBlanks();
            if (line.atEnd()) {
                throw line.error("unterminated label set");
            }
            char c = line.next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw line.error("expected ',' or '}' after label " + label + ", found '" + c + "'");
            }
        }
    }

    /** The declared type of a sample's family: its own name, or a histogram/summary base name for the suffixes. */
    private static MetricType typeOf(String name, Map<String, MetricType> types) {
        MetricType own = types.get(name);
        if (own != null) {
            return own;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                MetricType base = types.get(name.substring(0, name.length() - suffix.length()));
                if (base == MetricType.HISTOGRAM || (base == MetricType.SUMMARY && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return MetricType.UNTYPED;
    }

    /** A cursor over one line. */
    private static final class Line {
        private final String text;
        private final int end;
        private final int number;
        private int pos;

        Line(String text, int start, int end, int number) {
            this.text = text;
            this.pos = start;
            this.end = end;
            this.number = number;
        }

        boolean atEnd() {
            return pos >= end;
        }

        char peek() {
            return text.charAt(pos);
        }

        char next() {
            return text.charAt(pos++);
        }

        /** Skips spaces and tabs; true when there were any. */
        boolean skipBlanks() {
            int from = pos;
            while (pos < end && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
            return pos > from;
        }

        /** Up to the next blank or the end of the line. */
        String word() {
            int from = pos;
            while (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') {
                pos++;
            }
            return text.substring(from, pos);
        }

        String rest() {
            String r = text.substring(pos, end);
            pos = end;
            return r;
        }

        String metricName() {
            int from = pos;
            while (pos < end) {
                char c = text.charAt(pos);
                boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || (pos > from && c >= '0' && c <= '9');
                if (!ok) {
                    break;
                }
                pos++;
            }
            return text.substring(from, pos);
        }

        String labelName() {
            int from = pos;
            while (pos < end) {
                char c = text.charAt(pos);
                boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || (pos > from && c >= '0' && c <= '9');
                if (!ok) {
                    break;
                }
                pos++;
            }
            return text.substring(from, pos);
        }

        void expect(char c, String what) throws ExpositionFormatException {
            if (atEnd()) {
                throw error("expected " + what + ", found the end of the line");
            }
            if (text.charAt(pos) != c) {
                throw error("expected " + what + ", found '" + text.charAt(pos) + "'");
            }
            pos++;
        }

        /** A label value after its opening quote, up to and including the closing quote, unescaped. */
        String quoted(String label) throws ExpositionFormatException {
            StringBuilder b = new StringBuilder();
            while (pos < end) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    if (pos >= end) {
                        break;
                    }
                    char e = text.charAt(pos++);
                    switch (e) {
                        case '\\' -> b.append('\\');
                        case '"' -> b.append('"');
                        case 'n' -> b.append('\n');
                        default -> throw error("invalid escape '\\" + e + "' in the value of label " + label);
                    }
                } else {
                    b.append(c);
                }
            }
            throw error("unterminated value of label " + label);
        }

        ExpositionFormatException error(String problem) {
            return new ExpositionFormatException(number, problem);
        }
    }
}
