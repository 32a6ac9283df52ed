package dev.anomaly.sources.prometheus;

import java.util.regex.Pattern;

/**
 * Sample values and metric names as Prometheus writes them: Go float syntax ({@code 1.5}, {@code -2e-3},
 * {@code NaN}, {@code +Inf}, {@code -Inf}, {@code Inf}), metric names {@code [a-zA-Z_:][a-zA-Z0-9_:]*}.
 */
public final class PrometheusValues {
    /**
     * Possessive quantifiers only: the matcher never gives digits back, so a hostile value (a megabyte of digits
     * followed by a letter) fails in linear time; with {@code \\d+\\.?\\d*} it backtracked quadratically and held
     * the task thread for hours.
     */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:\\d++(?:\\.\\d*+)?|\\.\\d++)(?:[eE][+-]?\\d++)?");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private PrometheusValues() {
    }

    /**
     * Parses a sample value. Besides decimal numbers, accepts {@code NaN}, {@code Inf}, {@code +Inf}, {@code -Inf}
     * (case-insensitive, also {@code Infinity}), as Go's {@code strconv.ParseFloat} does. Hexadecimal floats and Java
     * suffixes ({@code 1d}, {@code 2f}) are rejected.
     *
     * @throws NumberFormatException when the text is not a value
     */
    public static double parseValue(String text) {
        String t = text.strip();
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!DECIMAL.matcher(t).matches()) {
            throw new NumberFormatException("not a number: '" + text + "'");
        }
        return Double.parseDouble(t);
    }

    public static boolean isMetricName(String name) {
        return name != null && METRIC_NAME.matcher(name).matches();
    }

    public static boolean isLabelName(String name) {
        return name != null && LABEL_NAME.matcher(name).matches();
    }
}
