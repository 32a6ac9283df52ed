package dev.anomaly.models.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A series read from a CSV with {@code timestamp} and {@code value} columns (NAB's layout), keeping each row's
 * timestamp and value text verbatim so that outputs can copy them unchanged.
 *
 * @param timestamps each row's timestamp text, as in the file
 * @param valueTexts each row's value text, as in the file
 * @param values each row's value; NaN where the field is empty or {@code NaN}
 */
public record TimestampedSeries(List<String> timestamps, List<String> valueTexts, double[] values) {

    /** Checks that the three columns have the same length. */
    public TimestampedSeries {
        timestamps = List.copyOf(timestamps);
        valueTexts = List.copyOf(valueTexts);
        if (timestamps.size() != values.length || valueTexts.size() != values.length) {
            throw new IllegalArgumentException("timestamps, value texts and values differ in length");
        }
    }

    /** Number of rows. */
    public int size() {
        return values.length;
    }

    /**
     * Reads a CSV whose header names a {@code timestamp} and a {@code value} column (in any order, among others).
     *
     * @throws SeriesFormatException if the file is missing, has no such header, or a value is not a number
     */
    public static TimestampedSeries read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new SeriesFormatException(file + ": empty file, expected a 'timestamp,value' header");
            }
            String[] names = CsvFields.stripBom(header).split(",", -1);
            int tCol = indexOf(names, "timestamp");
            int vCol = indexOf(names, "value");
            if (tCol < 0 || vCol < 0) {
                throw new SeriesFormatException(file + ": header '" + header
                        + "' lacks a 'timestamp' and a 'value' column");
            }
            List<String> timestamps = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            double[] values = new double[1024];
            int lineNo = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (fields.length <= Math.max(tCol, vCol)) {
                    throw new SeriesFormatException(file + ": line " + lineNo + " has " + fields.length
                            + " fields, expected " + names.length);
                }
                if (timestamps.size() == values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                values[timestamps.size()] = CsvFields.parseValue(fields[vCol], file, lineNo);
                timestamps.add(fields[tCol]);
                texts.add(fields[vCol]);
            }
            if (timestamps.isEmpty()) {
                throw new SeriesFormatException(file + ": no rows after the header");
            }
            return new TimestampedSeries(timestamps, texts, Arrays.copyOf(values, timestamps.size()));
        } catch (NoSuchFileException e) {
            throw new SeriesFormatException("input file " + file + " does not exist");
        } catch (IOException e) {
            throw new SeriesFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static int indexOf(String[] names, String wanted) {
        for (int i = 0; i < names.length; i++) {
            if (CsvFields.unquote(names[i]).equalsIgnoreCase(wanted)) {
                return i;
            }
        }
        return -1;
    }

}
