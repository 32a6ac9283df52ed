package dev.anomaly.sources.replay;

import dev.anomaly.models.io.CsvFields;
import dev.anomaly.models.io.SeriesFormatException;

/**
 * The layout of one replayed CSV file, taken from its header, and the parsing of its data lines by the shared field
 * rules of {@link CsvFields}: an empty or {@code NaN} value is a known gap (NaN), anything else unusable is a
 * {@link ReplayLine#malformed malformed} line with a counted reason.
 *
 * @param timestampColumn index of the {@code timestamp} column
 * @param valueColumn index of the {@code value} column
 * @param columnCount number of header columns; data lines must have as many fields
 */
public record ReplayColumns(int timestampColumn, int valueColumn, int columnCount) {

    /** Reason for a line whose field count differs from the header's. */
    public static final String BAD_COLUMNS = "bad_columns";
    /** Reason for a line whose timestamp cannot be parsed. */
    public static final String BAD_TIMESTAMP = "bad_timestamp";
    /** Reason for a line whose value is not a finite number (and not empty or NaN). */
    public static final String BAD_VALUE = "bad_value";

    /**
     * The layout of a file from its first line.
     *
     * @throws SeriesFormatException naming {@code source} if the header lacks a {@code timestamp} or {@code value} column
     */
    public static ReplayColumns fromHeader(String header, Object source) {
        if (header == null) {
            throw new SeriesFormatException(source + ": empty file, expected a 'timestamp,value' header");
        }
        String[] names = CsvFields.stripBom(header).split(",", -1);
        int t = -1;
        int v = -1;
        for (int i = 0; i < names.length; i++) {
            String name = CsvFields.unquote(names[i]);
            if (t < 0 && name.equalsIgnoreCase("timestamp")) {
                t = i;
            } else if (v < 0 && name.equalsIgnoreCase("value")) {
                v = i;
            }
        }
        if (t < 0 || v < 0) {
            throw new SeriesFormatException(source + ": header '" + header.trim()
                    + "' lacks a 'timestamp' and a 'value' column");
        }
        return new ReplayColumns(t, v, names.length);
    }

    /** Parses one non-blank data line; {@code lineNo} (1 = header) and {@code source} only name it in details. */
    public ReplayLine parse(String line, Object source, long lineNo) {
        String[] fields = line.split(",", -1);
        if (fields.length != columnCount) {
            return ReplayLine.malformed(BAD_COLUMNS, source + ": line " + lineNo + " has " + fields.length
                    + " fields, the header has " + columnCount);
        }
        long ts;
        try {
            ts = CsvTimestamps.parseMillis(CsvFields.unquote(fields[timestampColumn]));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return ReplayLine.malformed(BAD_TIMESTAMP, source + ": line " + lineNo + ": " + e.getMessage());
        }
        try {
            return ReplayLine.of(ts, CsvFields.parseValue(fields[valueColumn], source, (int) lineNo));
        } catch (SeriesFormatException e) {
            return ReplayLine.malformed(BAD_VALUE, e.getMessage());
        }
    }
}
