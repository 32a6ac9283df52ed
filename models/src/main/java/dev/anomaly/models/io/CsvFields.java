package dev.anomaly.models.io;

import java.util.Locale;

/**
 * The field rules every series reader shares: optional double quotes around a field, a byte-order mark before the
 * first header, empty fields and {@code NaN} as missing values, anything else non-numeric or infinite an error that
 * names the file and line.
 */
public final class CsvFields {

    private CsvFields() {
    }

    /** The field without surrounding whitespace and double quotes. */
    public static String unquote(String field) {
        String t = field.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            return t.substring(1, t.length() - 1).trim();
        }
        return t;
    }

    /** The line without a leading UTF-8 byte-order mark. */
    public static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    /** True if the field is a number, empty or {@code NaN}. */
    public static boolean isNumberOrMissing(String field) {
        String s = unquote(field);
        if (s.isEmpty() || s.equalsIgnoreCase("nan")) {
            return true;
        }
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The field's value; NaN for an empty field or {@code NaN}.
     *
     * @throws SeriesFormatException naming {@code source} and {@code lineNo} for a non-numeric or infinite value
     */
    public static double parseValue(String field, Object source, int lineNo) {
        String s = unquote(field);
        if (s.isEmpty() || s.toLowerCase(Locale.ROOT).equals("nan")) {
            return Double.NaN;
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new SeriesFormatException(source + ": line " + lineNo + ": value '" + s + "' is not a number");
        }
        if (Double.isInfinite(v)) {
            throw new SeriesFormatException(source + ": line " + lineNo + ": value '" + s + "' is infinite");
        }
        return v;
    }
}
