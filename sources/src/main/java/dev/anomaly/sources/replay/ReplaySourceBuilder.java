package dev.anomaly.sources.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.anomaly.models.io.SeriesFormatException;
import dev.anomaly.models.records.SeriesIds;

/**
 * Collects the files of a {@link ReplaySource} and its pacing; {@link #build()} checks that every file exists, has a
 * {@code timestamp,value} header, and that no two files feed the same series.
 */
public final class ReplaySourceBuilder {

    private final List<FileEntry> files = new ArrayList<>();
    private double samplesPerSecondPerSplit;
    private boolean shiftToNow;

    ReplaySourceBuilder() {
    }

    private record FileEntry(Path path, String feature, Map<String, String> labels) {
    }

    /** Replays {@code file} as the series of {@code feature} (also its metric name) with {@code labels}. */
    public ReplaySourceBuilder file(Path file, String feature, Map<String, String> labels) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(labels, "labels");
        requireFeature(feature);
        files.add(new FileEntry(file, feature, Map.copyOf(labels)));
        return this;
    }

    /**
     * Replays every {@code *.csv} in {@code dir} (sorted by name; not recursive) as a series of {@code feature} with the
     * label {@code file=<name without .csv>}.
     *
     * @throws IllegalArgumentException if {@code dir} is not a readable directory or holds no CSV file
     */
    public ReplaySourceBuilder directory(Path dir, String feature) {
        Objects.requireNonNull(dir, "dir");
        requireFeature(feature);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("replay directory " + dir + " does not exist or is not a directory");
        }
        List<Path> csvs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.csv")) {
            for (Path p : entries) {
                if (Files.isRegularFile(p)) {
                    csvs.add(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list replay directory " + dir + ": " + e.getMessage(), e);
        }
        if (csvs.isEmpty()) {
            throw new IllegalArgumentException("replay directory " + dir + " holds no *.csv file");
        }
        csvs.sort(null);
        for (Path p : csvs) {
            String name = p.getFileName().toString();
            files.add(new FileEntry(p, feature, Map.of("file", name.substring(0, name.length() - ".csv".length()))));
        }
        return this;
    }

    /** Lines replayed per second from each file (side by side); 0, the default, replays as fast as possible. */
    public ReplaySourceBuilder rate(double samplesPerSecondPerSplit) {
        if (!(samplesPerSecondPerSplit >= 0) || Double.isInfinite(samplesPerSecondPerSplit)) {
            throw new IllegalArgumentException("replay rate must be a finite number >= 0 (samples per second per "
                    + "file, 0 = as fast as possible), got " + samplesPerSecondPerSplit);
        }
        this.samplesPerSecondPerSplit = samplesPerSecondPerSplit;
        return this;
    }

    /**
     * If true, every timestamp of a file is shifted by the same amount so that its last one lands at the time the file
     * is first opened (for demos); the shift is kept in the checkpoint, so a restore does not move it.
     */
    public ReplaySourceBuilder shiftToNow(boolean shiftToNow) {
        this.shiftToNow = shiftToNow;
        return this;
    }

    /**
     * The source.
     *
     * @throws IllegalArgumentException if no file was given, a file is missing or lacks a {@code timestamp,value}
     *     header, or two files would feed the same series
     */
    public ReplaySource build() {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("replay source: no files given (use file(...) or directory(...))");
        }
        List<ReplayFileSplit> splits = new ArrayList<>(files.size());
        Map<String, Path> seriesToFile = new HashMap<>();
        for (FileEntry f : files) {
            checkHeader(f.path());
            String seriesId = SeriesIds.of(f.feature(), f.labels());
            Path other = seriesToFile.putIfAbsent(seriesId, f.path());
            if (other != null) {
                throw new IllegalArgumentException("replay source: " + other + " and " + f.path()
                        + " would both feed series " + seriesId + "; give them different labels");
            }
            splits.add(ReplayFileSplit.unread(splits.size(), f.path().toAbsolutePath(), f.feature(), f.labels()));
        }
        return new ReplaySource(splits, samplesPerSecondPerSplit, shiftToNow);
    }

    private static void checkHeader(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file to replay " + file + " does not exist or is not a file");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ReplayColumns.fromHeader(in.readLine(), file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read file to replay " + file + ": " + e.getMessage(), e);
        } catch (SeriesFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static void requireFeature(String feature) {
        if (feature == null || feature.isBlank()) {
            throw new IllegalArgumentException("replay source: feature name must not be blank");
        }
    }
}
