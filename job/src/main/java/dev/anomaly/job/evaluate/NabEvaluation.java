package dev.anomaly.job.evaluate;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorTrainer;
import dev.anomaly.models.detection.OnlineDetector;
import dev.anomaly.models.evaluation.NabFile;
import dev.anomaly.models.evaluation.NabLabels;
import dev.anomaly.models.evaluation.NabRow;
import dev.anomaly.models.evaluation.NabRowWindow;
import dev.anomaly.models.io.TimestampedSeries;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Runs a detector online over a NAB-layout directory ({@code DIR/<category>/<file>.csv}) as NAB requires, writes
 * {@code OUT/<category>/<file>.csv} ({@code timestamp,value,anomaly_score,label}) and, with labels, scores the
 * detector's own decisions.
 *
 * <p>Per file, the detector is trained on the probationary rows only ({@link NabFile#probationLength}); those rows
 * get score 0 and label 0. Every later row is scored by {@link OnlineDetector#update} before the detector learns
 * from it, so no row is scored with knowledge of itself, of later rows or of the labels. Files are independent and
 * run in parallel; results and outputs do not depend on the number of threads.
 */
public final class NabEvaluation {

    /** Header of the per-file output CSVs. */
    public static final String OUTPUT_HEADER = "timestamp,value,anomaly_score,label";

    private final DetectorTrainer trainer;
    private final int threads;
    private final int trainingRows;

    /** An evaluation with detectors from {@code trainer} (shared by the worker threads) on {@code threads} threads. */
    public NabEvaluation(DetectorTrainer trainer, int threads) {
        this(trainer, threads, 0);
    }

    /**
     * An evaluation whose detectors train on the first {@code trainingRows} rows of each file when that is fewer
     * than its probation (0: the whole probation), as the streaming job's self-training does on a new series. The
     * rows after them are run through the detector, and those inside the probation are written and scored as
     * probation rows (score 0, label 0), as NAB ignores them.
     */
    public NabEvaluation(DetectorTrainer trainer, int threads, int trainingRows) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (trainingRows < 0) {
            throw new IllegalArgumentException("training rows must be >= 0 (0 = the probation), got " + trainingRows);
        }
        this.threads = threads;
        this.trainingRows = trainingRows;
    }

    /**
     * Evaluates every {@code <category>/<file>.csv} under {@code input}, writing outputs (and, with {@code plot},
     * charts under {@code out/plots/}) to {@code out}; {@code labels} may be null.
     *
     * @throws EvaluationInputException if the input has no such files, or labels lack a file or do not fit it
     */
    public NabResult run(Path input, Path out, NabLabels labels, boolean plot) {
        List<String> names = listFiles(input);
        if (labels != null) {
            List<String> missing = names.stream().filter(n -> !labels.files().contains(n)).toList();
            if (!missing.isEmpty()) {
                throw new EvaluationInputException("the labels file has no entry for " + missing.size() + " of "
                        + names.size() + " input files: " + String.join(", ", missing.subList(0,
                        Math.min(5, missing.size()))) + (missing.size() > 5 ? ", ..." : ""));
            }
        }
        List<NabFileResult> files = OrderedParallel.map(names, threads,
                name -> evaluateFile(input, out, name, labels, plot));
        return NabResult.of(files, labels != null);
    }

    /**
     * The data files of a NAB-layout directory, {@code <category>/<file>.csv} relative paths with {@code /}, sorted.
     *
     * @throws EvaluationInputException if {@code input} is not a directory or holds no such file
     */
    public static List<String> listFiles(Path input) {
        if (!Files.isDirectory(input)) {
            throw new EvaluationInputException("input directory " + input + " does not exist");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> categories = Files.list(input)) {
            for (Path category : categories.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(category)) {
                    files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".csv"))
                            .forEach(f -> names.add(category.getFileName() + "/" + f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + input, e);
        }
        if (names.isEmpty()) {
            throw new EvaluationInputException("input directory " + input
                    + " holds no <category>/<file>.csv files (NAB layout)");
        }
        names.sort(null);
        return names;
    }

    private NabFileResult evaluateFile(Path input, Path out, String name, NabLabels labels, boolean plot) {
        TimestampedSeries series = TimestampedSeries.read(input.resolve(name));
        int n = series.size();
        double[] values = series.values();
        int probation = NabFile.probationLength(n);
        double[] scores = new double[n];
        boolean[] decisions = new boolean[n];
        double[] predictions = new double[n];
        Arrays.fill(predictions, Double.NaN);
        int detections = 0;
        int trainOn = trainingLength(values, trainingRows > 0 ? Math.min(trainingRows, probation) : probation);
        String failure = null;
        OnlineDetector detector = null;
        if (trainOn < 0) {
            failure = "fewer than " + trainer.minimumFiniteValues() + " finite values in the whole file, the"
                    + " detector's minimum: no detector, every row scored 0";
        } else {
            try {
                detector = trainer.train(Arrays.copyOf(values, trainOn));
            } catch (RuntimeException e) {
                failure = "training on the first " + trainOn + " rows failed, every row scored 0: " + e;
            }
        }
        for (int i = trainOn; detector != null && i < n; i++) {
            Detection d;
            try {
                d = detector.update(values[i]);
                if (!(d.anomalyScore() >= 0.0 && d.anomalyScore() <= 1.0)) {
                    throw new IllegalStateException("anomaly score " + d.anomalyScore() + " outside [0, 1]");
                }
            } catch (RuntimeException e) {
                failure = "the detector failed on row " + i + ", that row and the rest scored 0: " + e;
                break;
            }
            predictions[i] = d.prediction();
            if (i < probation) {
                continue;
            }
            scores[i] = d.anomalyScore();
            decisions[i] = d.anomaly();
            if (d.anomaly()) {
                detections++;
            }
        }
        writeOutput(out.resolve(name), series, scores, decisions);
        List<NabRowWindow> windows = labels == null ? null : locateWindows(name, series, labels);
        int firstScored = Math.max(trainOn, probation);
        if (plot) {
            String png = name.substring(0, name.length() - ".csv".length()) + ".png";
            EvaluationPlots.nabFile(out.resolve("plots").resolve(png), name, values, predictions, decisions, scores,
                    firstScored, windows);
        }
        return new NabFileResult(name, n, probation, firstScored, detections, scores, decisions, windows, failure);
    }

    /**
     * The rows the detector trains on: {@code wanted}, or where those hold fewer finite values than the trainer
     * needs (a short file's probation), the fewest leading rows that hold them, the rows in between then going
     * unscored; -1 when the whole file holds fewer.
     */
    private int trainingLength(double[] values, int wanted) {
        int needed = trainer.minimumFiniteValues();
        int finite = 0;
        for (int i = 0; i < wanted; i++) {
            if (Double.isFinite(values[i])) {
                finite++;
            }
        }
        int rows = wanted;
        while (finite < needed && rows < values.length) {
            if (Double.isFinite(values[rows++])) {
                finite++;
            }
        }
        return finite >= needed ? rows : -1;
    }

    private static List<NabRowWindow> locateWindows(String name, TimestampedSeries series, NabLabels labels) {
        List<NabRow> rows = new ArrayList<>(series.size());
        try {
            for (String t : series.timestamps()) {
                rows.add(new NabRow(NabLabels.parseTimestamp(t), false));
            }
            return NabFile.ofRows(name, rows, labels.windows(name)).windows();
        } catch (IllegalArgumentException e) {
            throw new EvaluationInputException(name + ": " + e.getMessage(), e);
        }
    }

    private static void writeOutput(Path file, TimestampedSeries series, double[] scores, boolean[] decisions) {
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(OUTPUT_HEADER);
                w.write('\n');
                for (int i = 0; i < series.size(); i++) {
                    w.write(series.timestamps().get(i));
                    w.write(',');
                    w.write(series.valueTexts().get(i));
                    w.write(',');
                    w.write(ScoreText.of(scores[i]));
                    w.write(decisions[i] ? ",1\n" : ",0\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
