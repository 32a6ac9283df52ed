package dev.anomaly.models.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the Server Machine Dataset's text files: a matrix file ({@code train/} or {@code test/}, one row per line,
 * comma-separated floats, no header) and a label file ({@code test_label/}, one 0/1 per line). Empty fields and
 * {@code NaN} are missing values; anything else that is not a number is an error naming the file and line.
 */
public final class SmdFiles {

    private SmdFiles() {
    }

    /**
     * Reads a matrix file whose rows all have the same number of fields.
     *
     * @throws SeriesFormatException if the file is missing, empty, ragged or holds a non-numeric value
     */
    public static SmdMatrix readMatrix(Path file) {
        try (BufferedReader in = open(file)) {
            double[][] columns = null;
            int n = 0;
            int lineNo = 0;
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (columns == null) {
                    columns = new double[fields.length][1024];
                } else if (fields.length != columns.length) {
                    throw new SeriesFormatException(file + ": line " + lineNo + " has " + fields.length
                            + " fields, expected " + columns.length + " like line 1");
                }
                if (n == columns[0].length) {
                    for (int j = 0; j < columns.length; j++) {
                        columns[j] = Arrays.copyOf(columns[j], n * 2);
                    }
                }
                for (int j = 0; j < fields.length; j++) {
                    columns[j][n] = CsvFields.parseValue(fields[j], file, lineNo);
                }
                n++;
            }
            if (columns == null) {
                throw new SeriesFormatException(file + ": no rows found");
            }
            for (int j = 0; j < columns.length; j++) {
                columns[j] = Arrays.copyOf(columns[j], n);
            }
            return new SmdMatrix(columns);
        } catch (IOException e) {
            throw new SeriesFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a label file: one {@code 0} or {@code 1} per line.
     *
     * @throws SeriesFormatException if the file is missing or a line is not 0 or 1
     */
    public static int[] readLabels(Path file) {
        try (BufferedReader in = open(file)) {
            int[] labels = new int[1024];
            int n = 0;
            int lineNo = 0;
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String s = line.trim();
                if (s.isEmpty()) {
                    continue;
                }
                int label;
                switch (s) {
                    case "0", "0.0" -> label = 0;
                    case "1", "1.0" -> label = 1;
                    default -> throw new SeriesFormatException(
                            file + ": line " + lineNo + ": label '" + s + "' is not 0 or 1");
                }
                if (n == labels.length) {
                    labels = Arrays.copyOf(labels, n * 2);
                }
                labels[n++] = label;
            }
            return Arrays.copyOf(labels, n);
        } catch (IOException e) {
            throw new SeriesFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SeriesFormatException("file " + file + " does not exist");
        }
    }

}
