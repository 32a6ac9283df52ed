package dev.anomaly.job.evaluate;

import dev.anomaly.models.evaluation.NabRowWindow;
import dev.anomaly.models.io.SmdMatrix;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts for {@code evaluate --plot} (XChart, headless): the series, the detector's prediction, its detections
 * as markers and the labelled anomalies shaded, stacked above the anomaly score.
 */
public final class EvaluationPlots {

    static {
        // Charts are drawn off-screen; without this a machine with no display may try to open one.
        System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 1600;
    private static final int HEIGHT = 380;
    private static final int SMD_COLUMNS_SHOWN = 3;
    private static final Color SERIES = new Color(31, 119, 180);
    private static final Color PREDICTION = new Color(255, 127, 14);
    private static final Color DETECTION = new Color(214, 39, 40);
    private static final Color LABEL = new Color(44, 160, 44, 70);
    private static final Color THRESHOLD = new Color(80, 80, 80);
    private static final Color NO_LINE = new Color(0, 0, 0, 0);

    private EvaluationPlots() {
    }

    /**
     * Writes one NAB file's chart to {@code png}: values, predictions and detections above the anomaly score, with
     * the label windows shaded when {@code windows} is not null; the first {@code unscored} rows (the probation, or
     * the longer training of a short file) are named in the title.
     */
    public static void nabFile(Path png, String name, double[] values, double[] predictions, boolean[] detections,
            double[] scores, int unscored, List<NabRowWindow> windows) {
        boolean[] labelled = null;
        if (windows != null) {
            labelled = new boolean[values.length];
            for (NabRowWindow w : windows) {
                Arrays.fill(labelled, w.first(), w.last() + 1, true);
            }
        }
        XYChart series = chart(name + "  (first " + unscored + " rows: probation or training, not scored)", "value");
        shade(series, labelled, "label window", range(values, predictions));
        line(series, "value", values, SERIES);
        line(series, "prediction", predictions, PREDICTION);
        markers(series, "detection", values, detections);
        XYChart score = chart("anomaly score", "score");
        shade(score, labelled, "label window", new double[] {0, 1});
        line(score, "anomaly_score", scores, SERIES);
        markers(score, "detection", scores, detections);
        save(png, List.of(series, score));
    }

    /**
     * Writes one SMD machine's chart to {@code png}: the row score with its threshold and predictions, then the
     * columns that most often set the score on flagged rows, each with the test labels shaded.
     */
    static void smdMachine(Path png, SmdMachineResult result, SmdMatrix test, List<SmdColumnScores> columns) {
        boolean[] labelled = new boolean[result.labels().length];
        for (int i = 0; i < labelled.length; i++) {
            labelled[i] = result.labels()[i] == 1;
        }
        List<XYChart> charts = new ArrayList<>();
        XYChart score = chart(result.machine() + ": row score (max over columns), threshold "
                + ScoreText.of(result.threshold()), "score");
        shade(score, labelled, "test label", range(result.scores(), new double[] {result.threshold()}));
        line(score, "row score", result.scores(), SERIES);
        double[] threshold = new double[result.scores().length];
        Arrays.fill(threshold, result.threshold());
        line(score, "threshold", threshold, THRESHOLD);
        markers(score, "pred", result.scores(), result.predictions());
        charts.add(score);
        for (int j : dominantColumns(result, columns)) {
            SmdColumnScores c = columns.get(j);
            XYChart column = chart(result.machine() + " column " + (j + 1) + " (1-based)", "value");
            shade(column, labelled, "test label", range(test.column(j), c.testPredictions()));
            line(column, "value", test.column(j), SERIES);
            line(column, "prediction", c.testPredictions(), PREDICTION);
            markers(column, "column detection", test.column(j), c.testDecisions());
            charts.add(column);
        }
        save(png, charts);
    }

    /** Columns that most often reach the row score on flagged rows, ties broken by their mean test score. */
    private static List<Integer> dominantColumns(SmdMachineResult result, List<SmdColumnScores> columns) {
        int[] wins = new int[columns.size()];
        double[] mean = new double[columns.size()];
        for (int j = 0; j < columns.size(); j++) {
            double[] s = columns.get(j).testScores();
            for (int i = 0; i < s.length; i++) {
                mean[j] += s[i] / s.length;
                if (result.predictions()[i] && s[i] == result.scores()[i]) {
                    wins[j]++;
                }
            }
        }
        return IntStream.range(0, columns.size()).boxed()
                .sorted(Comparator.<Integer>comparingInt(j -> -wins[j]).thenComparingDouble(j -> -mean[j]))
                .limit(SMD_COLUMNS_SHOWN).toList();
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("row")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(6)
                .setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        return chart;
    }

    /** A line through the finite points of {@code y} (x = row); nothing when there are none. */
    private static void line(XYChart chart, String name, double[] y, Color color) {
        int[] rows = IntStream.range(0, y.length).filter(i -> Double.isFinite(y[i])).toArray();
        if (rows.length == 0) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs(rows), ys(rows, y));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(1.0f);
    }

    /** Markers at the flagged rows' finite {@code y}; nothing when no row is flagged. */
    private static void markers(XYChart chart, String name, double[] y, boolean[] flagged) {
        int[] rows = IntStream.range(0, y.length).filter(i -> flagged[i] && Double.isFinite(y[i])).toArray();
        if (rows.length == 0) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs(rows), ys(rows, y));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(DETECTION);
    }

    /**
     * Shades the labelled rows over the whole height: a step area at the top of the fixed y range inside labels
     * and at its bottom elsewhere. Nothing when {@code labelled} is null or has no labelled row.
     */
    private static void shade(XYChart chart, boolean[] labelled, String name, double[] range) {
        chart.getStyler().setYAxisMin(range[0]).setYAxisMax(range[1]);
        if (labelled == null || !contains(labelled)) {
            return;
        }
        double[] x = new double[labelled.length];
        double[] y = new double[labelled.length];
        for (int i = 0; i < labelled.length; i++) {
            x[i] = i;
            y[i] = labelled[i] ? range[1] : range[0];
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(LABEL);
        s.setLineColor(NO_LINE);
    }

    /** The [min, max] of the finite values of the arrays, widened a little (and to width 1 if flat). */
    private static double[] range(double[]... arrays) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] a : arrays) {
            for (double v : a) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        double pad = hi > lo ? 0.05 * (hi - lo) : 0.5;
        return new double[] {lo - pad, hi + pad};
    }

    private static boolean contains(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    private static double[] xs(int[] rows) {
        double[] x = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            x[k] = rows[k];
        }
        return x;
    }

    private static double[] ys(int[] rows, double[] y) {
        double[] out = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            out[k] = y[rows[k]];
        }
        return out;
    }

    private static void save(Path png, List<XYChart> charts) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
