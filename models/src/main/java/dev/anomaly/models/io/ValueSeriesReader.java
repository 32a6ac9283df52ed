package dev.anomaly.models.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads one numeric series from a text file: either a CSV whose header has a {@code value} column (such as NAB's
 * {@code timestamp,value}) or one number per line. Empty fields and {@code NaN} are missing values (NaN); anything
 * else that is not a number is an error naming its line.
 */
public final class ValueSeriesReader {

    private ValueSeriesReader() {
    }

    /**
     * @throws SeriesFormatException if the file is missing, unreadable, empty or holds a non-numeric value
     */
    public static double[] read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new SeriesFormatException("input file " + file + " does not exist");
        } catch (IOException e) {
            throw new SeriesFormatException("cannot read input file " + file + ": " + e.getMessage(), e);
        }
    }

    static double[] parse(BufferedReader in, String name) throws IOException {
        double[] values = new double[1024];
        int n = 0;
        int column = -1;
        boolean first = true;
        int lineNo = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            String trimmed = CsvFields.stripBom(line).trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split(",", -1);
            if (first) {
                first = false;
                if (fields.length == 1 && CsvFields.isNumberOrMissing(fields[0])) {
                    column = 0;
                } else {
                    column = valueColumn(fields, name, lineNo);
                    continue;
                }
            }
            if (column >= fields.length) {
                throw new SeriesFormatException(name + ": line " + lineNo + " has no field " + (column + 1)
                        + " ('value')");
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = CsvFields.parseValue(fields[column], name, lineNo);
        }
        if (n == 0) {
            throw new SeriesFormatException(name + ": no values found");
        }
        return Arrays.copyOf(values, n);
    }

    private static int valueColumn(String[] header, String name, int lineNo) {
        for (int i = 0; i < header.length; i++) {
            if (CsvFields.unquote(header[i]).equalsIgnoreCase("value")) {
                return i;
            }
        }
        throw new SeriesFormatException(name + ": line " + lineNo + " '" + String.join(",", header)
                + "' is neither a number nor a CSV header with a 'value' column");
    }

}
