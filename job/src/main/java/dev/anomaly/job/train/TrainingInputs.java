package dev.anomaly.job.train;

import dev.anomaly.models.io.CsvFields;
import dev.anomaly.models.io.SeriesFormatException;
import dev.anomaly.models.io.ValueSeriesReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads the features to train from a file or a directory.
 *
 * <ul>
 *   <li>A CSV with a header: every column except {@code timestamp} (any case) that holds numbers is a feature named
 *       by its header; a column without a single number (a host name, say) is skipped with a note.</li>
 *   <li>A file with one number per line: one feature named after the file stem.</li>
 *   <li>A directory: every {@code *.csv} below it is one feature named by its path relative to the directory,
 *       without {@code .csv} and with {@code /} separators, read from its {@code value} column (NAB's layout).</li>
 * </ul>
 *
 * Empty fields and {@code NaN} are missing values; any other non-number, and a line with more or fewer fields than
 * the header, is an error naming the file and line.
 */
public final class TrainingInputs {
    private static final String TIMESTAMP = "timestamp";
    private static final String VALUE = "value";

    private TrainingInputs() {
    }

    /**
     * The features of {@code input} in input order (column order, or sorted relative path), restricted to
     * {@code wanted} when it is not null.
     *
     * @param notes receives one line per skipped non-numeric column
     * @throws TrainingInputException if the input is missing, holds no series, or {@code wanted} names a feature
     *     it does not have
     * @throws SeriesFormatException if a file holds a non-numeric value or a short row
     */
    public static List<FeatureSeries> read(Path input, Collection<String> wanted, Consumer<String> notes) {
        if (Files.isDirectory(input)) {
            return readDirectory(input, wanted);
        }
        if (!Files.isRegularFile(input)) {
            throw new TrainingInputException("input " + input + " does not exist");
        }
        return select(readFile(input, null, notes), wanted);
    }

    private static List<FeatureSeries> readDirectory(Path dir, Collection<String> wanted) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".csv"))
                    .forEach(p -> names.add(featureName(dir, p)));
        } catch (IOException | UncheckedIOException e) {
            throw new TrainingInputException("cannot list input directory " + dir + ": " + e.getMessage());
        }
        if (names.isEmpty()) {
            throw new TrainingInputException("input directory " + dir + " holds no *.csv file");
        }
        names.sort(null);
        List<String> chosen = wanted == null ? names : checkWanted(names, wanted);
        List<FeatureSeries> out = new ArrayList<>(chosen.size());
        for (String name : chosen) {
            Path file = dir.resolve(name + ".csv");
            // Only the value column is parsed, so it is the one series a file with a header yields.
            FeatureSeries value = readFile(file, VALUE, line -> { }).get(0);
            out.add(new FeatureSeries(name, file, value.timestamps(), value.values()));
        }
        return out;
    }

    private static String featureName(Path dir, Path file) {
        List<String> parts = new ArrayList<>();
        dir.relativize(file).forEach(p -> parts.add(p.toString()));
        String joined = String.join("/", parts);
        return joined.substring(0, joined.length() - ".csv".length());
    }

    private static List<FeatureSeries> select(List<FeatureSeries> all, Collection<String> wanted) {
        if (wanted == null) {
            return all;
        }
        Set<String> keep = new LinkedHashSet<>(checkWanted(all.stream().map(FeatureSeries::name).toList(), wanted));
        return all.stream().filter(f -> keep.contains(f.name())).toList();
    }

    /** The available names that are wanted, in input order; fails on the first wanted name that is unavailable. */
    private static List<String> checkWanted(List<String> available, Collection<String> wanted) {
        Set<String> have = new LinkedHashSet<>(available);
        for (String w : wanted) {
            if (!have.contains(w)) {
                throw new TrainingInputException("unknown feature '" + w + "'; the input has " + available.size()
                        + " features: " + String.join(", ", available));
            }
        }
        Set<String> want = new LinkedHashSet<>(wanted);
        return available.stream().filter(want::contains).toList();
    }

    /**
     * The numeric columns of one file ({@code only} names the one column to read; null reads all), or its single
     * series when it holds one number per line.
     */
    private static List<FeatureSeries> readFile(Path file, String only, Consumer<String> notes) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header;
            int headerLine = 0;
            do {
                header = in.readLine();
                headerLine++;
            } while (header != null && (header.isBlank() || header.strip().startsWith("#")));
            if (header == null) {
                throw new SeriesFormatException(file + ": empty file");
            }
            String[] names = CsvFields.stripBom(header).split(",", -1);
            if (names.length == 1 && CsvFields.isNumberOrMissing(names[0])) {
                return List.of(new FeatureSeries(stem(file), file, List.of(), ValueSeriesReader.read(file)));
            }
            return readTable(in, file, names, headerLine, only, notes);
        } catch (NoSuchFileException e) {
            throw new TrainingInputException("input file " + file + " does not exist");
        } catch (IOException e) {
            throw new TrainingInputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static List<FeatureSeries> readTable(BufferedReader in, Path file, String[] header, int headerLine,
                                                 String only, Consumer<String> notes) throws IOException {
        int timeCol = -1;
        List<Column> read = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < header.length; i++) {
            String name = CsvFields.unquote(header[i]);
            if (!seen.add(name)) {
                throw new SeriesFormatException(file + ": line " + headerLine + ": column '" + name
                        + "' appears twice in the header");
            }
            if (name.equalsIgnoreCase(TIMESTAMP)) {
                timeCol = i;
            } else if (only == null || name.equalsIgnoreCase(only)) {
                read.add(new Column(name, i));
            }
        }
        if (read.isEmpty()) {
            throw new SeriesFormatException(file + ": header '" + String.join(",", header) + "' has no "
                    + (only == null ? "column besides 'timestamp'" : "'" + only + "' column"));
        }
        List<String> timestamps = new ArrayList<>();
        int rows = 0;
        int lineNo = headerLine;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != header.length) {
                // More fields than the header is as wrong as fewer: every later column would be read from the
                // wrong field (a quoted value holding a comma, a row of another file pasted in).
                throw new SeriesFormatException(file + ": line " + lineNo + " has " + fields.length
                        + " fields, expected " + header.length + (fields.length > header.length
                        ? " (commas inside quoted values are not supported)" : ""));
            }
            for (Column c : read) {
                c.add(fields[c.index], rows, file, lineNo);
            }
            if (timeCol >= 0) {
                timestamps.add(CsvFields.unquote(fields[timeCol]));
            }
            rows++;
        }
        if (rows == 0) {
            throw new SeriesFormatException(file + ": no rows after the header");
        }
        List<FeatureSeries> out = new ArrayList<>();
        for (Column c : read) {
            if (c.numbers == 0 && c.firstText != null) {
                notes.accept("skipping column '" + c.name + "' of " + file + ": it holds no numbers (e.g. '"
                        + c.firstText + "' on line " + c.firstTextLine + ")");
            } else if (c.firstText != null) {
                throw new SeriesFormatException(file + ": line " + c.firstTextLine + ": column '" + c.name
                        + "' value '" + c.firstText + "' is not a number");
            } else {
                out.add(new FeatureSeries(c.name, file, timestamps, Arrays.copyOf(c.values, rows)));
            }
        }
        if (out.isEmpty()) {
            Column c = read.get(0);
            throw new SeriesFormatException(file + ": line " + c.firstTextLine + ": column '" + c.name + "' value '"
                    + c.firstText + "' is not a number" + (read.size() > 1 ? " (no column holds numbers)" : ""));
        }
        return out;
    }

    /** One column being read: its values, and the first non-numeric field if any. */
    private static final class Column {
        final String name;
        final int index;
        double[] values = new double[1024];
        int numbers;
        String firstText;
        int firstTextLine;

        Column(String name, int index) {
            this.name = name;
            this.index = index;
        }

        void add(String field, int row, Path file, int lineNo) {
            if (row == values.length) {
                values = Arrays.copyOf(values, row * 2);
            }
            String s = CsvFields.unquote(field);
            if (s.isEmpty() || s.toLowerCase(Locale.ROOT).equals("nan")) {
                values[row] = Double.NaN;
                return;
            }
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                values[row] = Double.NaN;
                if (firstText == null) {
                    firstText = s;
                    firstTextLine = lineNo;
                }
                return;
            }
            if (Double.isInfinite(v)) {
                throw new SeriesFormatException(file + ": line " + lineNo + ": column '" + name + "' value '" + s
                        + "' is infinite");
            }
            values[row] = v;
            numbers++;
        }
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

}
