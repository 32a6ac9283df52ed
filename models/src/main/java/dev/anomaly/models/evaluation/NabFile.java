package dev.anomaly.models.evaluation;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One NAB data file as the scorer sees it: the detector's score per row (1/0 for plain decisions) and the anomaly
 * windows located on row positions.
 *
 * <p>Windows given as timestamps are located as NAB does: a window starts at the first row whose timestamp equals
 * its start and ends at the first row whose timestamp equals its end (some files repeat timestamps).
 */
public final class NabFile {

    private final String name;
    private final double[] scores;
    private final List<NabRowWindow> windows;

    private NabFile(String name, double[] scores, List<NabRowWindow> windows) {
        this.name = Objects.requireNonNull(name, "name");
        for (int i = 0; i < scores.length; i++) {
            if (!(scores[i] >= 0.0 && scores[i] <= 1.0)) {
                throw new IllegalArgumentException(
                        "anomaly scores must lie in [0, 1]; row " + i + " of '" + name + "' has " + scores[i]);
            }
        }
        List<NabRowWindow> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingInt(NabRowWindow::first));
        for (int w = 0; w < sorted.size(); w++) {
            NabRowWindow window = sorted.get(w);
            if (window.last() >= scores.length) {
                throw new IllegalArgumentException("window " + window + " of '" + name + "' ends past the last row "
                        + (scores.length - 1));
            }
            if (w > 0 && window.first() <= sorted.get(w - 1).last()) {
                throw new IllegalArgumentException("windows " + sorted.get(w - 1) + " and " + window + " of '" + name
                        + "' overlap; NAB expects merged windows");
            }
        }
        this.scores = scores;
        this.windows = List.copyOf(sorted);
    }

    /** A file from the detector's rows (timestamp and 0/1 decision each) and its labelled windows. */
    public static NabFile ofRows(String name, List<NabRow> rows, List<NabWindow> windows) {
        List<LocalDateTime> timestamps = new ArrayList<>(rows.size());
        double[] scores = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            timestamps.add(rows.get(i).timestamp());
            scores[i] = rows.get(i).detected() ? 1.0 : 0.0;
        }
        return new NabFile(name, scores, locate(name, timestamps, windows));
    }

    /** A file from per-row timestamps, per-row anomaly scores in [0, 1] and its labelled windows. */
    public static NabFile ofScores(String name, List<LocalDateTime> timestamps, double[] scores,
            List<NabWindow> windows) {
        if (timestamps.size() != scores.length) {
            throw new IllegalArgumentException("'" + name + "' has " + timestamps.size() + " timestamps but "
                    + scores.length + " scores");
        }
        return new NabFile(name, scores.clone(), locate(name, timestamps, windows));
    }

    /** A file from per-row 0/1 decisions and windows already given as row positions. */
    public static NabFile ofRowDecisions(String name, boolean[] detections, List<NabRowWindow> windows) {
        double[] scores = new double[detections.length];
        for (int i = 0; i < detections.length; i++) {
            scores[i] = detections[i] ? 1.0 : 0.0;
        }
        return new NabFile(name, scores, windows);
    }

    /** A file from per-row anomaly scores in [0, 1] and windows already given as row positions. */
    public static NabFile ofRowScores(String name, double[] scores, List<NabRowWindow> windows) {
        return new NabFile(name, scores.clone(), windows);
    }

    /**
     * Rows at the start of a file of {@code rowCount} rows that are not scored: {@code min(floor(0.15 N), 750)}.
     * The product is taken in double precision, as NAB does, so that the rounding matches NAB's.
     */
    public static int probationLength(int rowCount) {
        return (int) Math.min(Math.floor(0.15 * rowCount), 0.15 * 5000);
    }

    /** The file's name, usually its path relative to the NAB data directory. */
    public String name() {
        return name;
    }

    /** Number of rows. */
    public int rowCount() {
        return scores.length;
    }

    /** The detector's score for row {@code row}; 1 or 0 for files built from decisions. */
    public double score(int row) {
        return scores[row];
    }

    /** The windows on row positions, ordered by first row. */
    public List<NabRowWindow> windows() {
        return windows;
    }

    private static List<NabRowWindow> locate(String name, List<LocalDateTime> timestamps, List<NabWindow> windows) {
        Map<LocalDateTime, Integer> firstRow = new HashMap<>();
        for (int i = 0; i < timestamps.size(); i++) {
            firstRow.putIfAbsent(Objects.requireNonNull(timestamps.get(i), "timestamp"), i);
        }
        List<NabRowWindow> located = new ArrayList<>(windows.size());
        for (NabWindow window : windows) {
            located.add(new NabRowWindow(
                    rowOf(name, firstRow, window.start(), window), rowOf(name, firstRow, window.end(), window)));
        }
        return located;
    }

    private static int rowOf(String name, Map<LocalDateTime, Integer> firstRow, LocalDateTime t, NabWindow window) {
        Integer row = firstRow.get(t);
        if (row == null) {
            // NAB only enters a window on an exact timestamp match; a missing one would silently drop the window.
            throw new IllegalArgumentException("window " + window + " of '" + name + "': no row has timestamp " + t);
        }
        return row;
    }
}
