package dev.anomaly.job.evaluate;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorTrainer;
import dev.anomaly.models.detection.OnlineDetector;
import dev.anomaly.models.evaluation.Quantile;
import dev.anomaly.models.evaluation.SmdMetrics;
import dev.anomaly.models.io.SmdFiles;
import dev.anomaly.models.io.SmdMatrix;
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
 * Evaluates a detector on an SMD-layout directory ({@code ROOT/train/}, {@code ROOT/test/}, {@code ROOT/test_label/},
 * one file per machine) and writes {@code OUT/<machine>.csv} with header {@code score,pred}, one line per test row.
 *
 * <p>Per machine and column, a detector trained on the column's training half scores the test half row by row
 * (online: each row before it is learned). The row score is the MAXIMUM over the columns of s / (s + 3), s being
 * the column detector's surprise -log10(tail probability) ({@code Detection.surprise()}): one clearly anomalous
 * metric makes the row anomalous, as in SMD's interpretation labels, where a few of the 38 metrics cause each
 * anomaly. The surprise ranks like the anomaly score 1 - p but does not round to 1 where p < 1e-16, which made
 * the models' training quantile exactly 1 on some machines (so only ties at 1 could be flagged). The row decision
 * is {@code score > threshold}, with the threshold a quantile of the training half's row scores: those come from a second, identically trained detector run over the same training
 * rows, so they are in-sample (the training half has no labels; the test half never influences the threshold).
 * A column whose detector throws is scored 0 and reported. Work runs in parallel over (machine, column) items.
 */
public final class SmdEvaluation {

    /** Default quantile of the training row scores that sets the threshold. */
    public static final double DEFAULT_QUANTILE = 0.995;

    /** The column surprise whose {@link #rowScore} is 0.5: the tail probability 10^-3, the models' alarm level. */
    static final double SURPRISE_AT_HALF = 3.0;

    /** Header of the per-machine output CSVs. */
    public static final String OUTPUT_HEADER = "score,pred";

    private final DetectorTrainer trainer;
    private final int threads;
    private final double quantile;

    /**
     * An evaluation with detectors from {@code trainer} (shared by the worker threads) on {@code threads} threads,
     * thresholding at {@code quantile} of the training row scores.
     */
    public SmdEvaluation(DetectorTrainer trainer, int threads, double quantile) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (!(quantile > 0.0 && quantile <= 1.0)) {
            throw new IllegalArgumentException("the threshold quantile must be in (0, 1], got " + quantile);
        }
        this.threads = threads;
        this.quantile = quantile;
    }

    /**
     * Evaluates every machine in {@code root/test/}, writing {@code out/<machine>.csv} (and, with {@code plot},
     * charts under {@code out/plots/}).
     *
     * @throws EvaluationInputException if the layout is incomplete or a machine's files do not fit together
     */
    public SmdResult run(Path root, Path out, boolean plot) {
        List<String> names = listMachines(root);
        List<Machine> machines = OrderedParallel.map(names, threads, name -> Machine.load(root, name));
        List<int[]> items = new ArrayList<>();
        for (int m = 0; m < machines.size(); m++) {
            for (int j = 0; j < machines.get(m).train.columnCount(); j++) {
                items.add(new int[] {m, j});
            }
        }
        List<SmdColumnScores> columns = OrderedParallel.map(items, threads, item -> {
            Machine m = machines.get(item[0]);
            return scoreColumn(trainer, m.train.column(item[1]), m.test.column(item[1]));
        });
        List<SmdMachineResult> results = new ArrayList<>(machines.size());
        int k = 0;
        for (Machine m : machines) {
            List<SmdColumnScores> own = columns.subList(k, k + m.train.columnCount());
            k += m.train.columnCount();
            SmdMachineResult r = combine(m, own);
            writeOutput(out.resolve(m.name + ".csv"), r);
            if (plot) {
                EvaluationPlots.smdMachine(out.resolve("plots").resolve(m.name + ".png"), r, m.test, own);
            }
            results.add(r);
        }
        SmdMetrics pooled = results.stream().map(SmdMachineResult::metrics)
                .reduce(new SmdMetrics(0, 0, 0, 0, 0, 0, 0), SmdMetrics::plus);
        return new SmdResult(List.copyOf(results), pooled, quantile);
    }

    /**
     * The machines of an SMD layout: the names of the files in {@code root/test/} without {@code .txt}, sorted.
     *
     * @throws EvaluationInputException if {@code root/test/} is missing or empty
     */
    public static List<String> listMachines(Path root) {
        if (!Files.isDirectory(root)) {
            throw new EvaluationInputException("input directory " + root + " does not exist");
        }
        Path test = root.resolve("test");
        if (!Files.isDirectory(test)) {
            throw new EvaluationInputException(root + " has no test/ directory (SMD layout: train/, test/,"
                    + " test_label/)");
        }
        try (Stream<Path> files = Files.list(test)) {
            List<String> names = files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".txt")).map(f -> f.substring(0, f.length() - 4)).sorted().toList();
            if (names.isEmpty()) {
                throw new EvaluationInputException(test + " holds no <machine>.txt files");
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + test, e);
        }
    }

    static SmdColumnScores scoreColumn(DetectorTrainer trainer, double[] train, double[] test) {
        try {
            double[] testScores = new double[test.length];
            double[] predictions = new double[test.length];
            boolean[] decisions = new boolean[test.length];
            DetectorTrainer.InSamplePair trained = trainer.trainWithInSample(train);
            OnlineDetector detector = trained.afterHistory();
            for (int i = 0; i < test.length; i++) {
                Detection d = detector.update(test[i]);
                testScores[i] = rowScore(checked(d, "test", i));
                predictions[i] = d.prediction();
                decisions[i] = d.anomaly();
            }
            // In-sample: the same training, started from the beginning of that half, scores it for the threshold.
            double[] trainScores = new double[train.length];
            OnlineDetector inSample = trained.atStart();
            for (int i = 0; i < train.length; i++) {
                trainScores[i] = rowScore(checked(inSample.update(train[i]), "train", i));
            }
            return new SmdColumnScores(trainScores, testScores, predictions, decisions, null);
        } catch (RuntimeException e) {
            return SmdColumnScores.failed(train.length, test.length, e.toString());
        }
    }

    /** The detection's surprise, after checking that it and the anomaly score are in range. */
    private static double checked(Detection d, String half, int row) {
        if (!(d.anomalyScore() >= 0.0 && d.anomalyScore() <= 1.0)) {
            throw new IllegalStateException("anomaly score " + d.anomalyScore() + " outside [0, 1] on " + half
                    + " row " + row);
        }
        if (!(d.surprise() >= 0.0)) {
            throw new IllegalStateException("surprise " + d.surprise() + " is not >= 0 on " + half + " row " + row);
        }
        return d.surprise();
    }

    /**
     * The score in [0, 1] of a column's surprise s = -log10(tail probability): s / (s + 3), 0.5 at the tail
     * probability 10^-3 and below 1 for every surprise below about 1e16, so extreme rows stay ranked where the
     * anomaly score 1 - p has rounded to 1; 1 for an infinite surprise (a tail probability of exactly 0).
     */
    static double rowScore(double surprise) {
        return surprise == Double.POSITIVE_INFINITY ? 1.0 : surprise / (surprise + SURPRISE_AT_HALF);
    }

    private SmdMachineResult combine(Machine m, List<SmdColumnScores> columns) {
        double[] trainRows = new double[m.train.rowCount()];
        double[] testRows = new double[m.test.rowCount()];
        boolean[] anyColumnFlags = new boolean[m.test.rowCount()];
        List<String> failed = new ArrayList<>();
        for (int j = 0; j < columns.size(); j++) {
            SmdColumnScores c = columns.get(j);
            if (c.failure() != null) {
                failed.add("column " + (j + 1) + " (1-based): the detector failed, column scored 0: " + c.failure());
            }
            for (int i = 0; i < trainRows.length; i++) {
                trainRows[i] = Math.max(trainRows[i], c.trainScores()[i]);
            }
            for (int i = 0; i < testRows.length; i++) {
                testRows[i] = Math.max(testRows[i], c.testScores()[i]);
                anyColumnFlags[i] |= c.testDecisions()[i];
            }
        }
        double threshold = Quantile.of(trainRows, quantile);
        double atCeiling = Arrays.stream(trainRows).filter(x -> x >= 1.0).count() / (double) trainRows.length;
        boolean[] predictions = new boolean[testRows.length];
        for (int i = 0; i < testRows.length; i++) {
            predictions[i] = testRows[i] > threshold;
        }
        return new SmdMachineResult(m.name, columns.size(), threshold, atCeiling, testRows, predictions, m.labels,
                SmdMetrics.of(predictions, m.labels), List.copyOf(failed), SmdMetrics.of(anyColumnFlags, m.labels));
    }

    private static void writeOutput(Path file, SmdMachineResult r) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(OUTPUT_HEADER);
                w.write('\n');
                for (int i = 0; i < r.scores().length; i++) {
                    w.write(ScoreText.of(r.scores()[i]));
                    w.write(r.predictions()[i] ? ",1\n" : ",0\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** One machine's three files, checked to fit together. */
    private record Machine(String name, SmdMatrix train, SmdMatrix test, int[] labels) {

        static Machine load(Path root, String name) {
            String file = name + ".txt";
            Path trainFile = root.resolve("train").resolve(file);
            Path labelFile = root.resolve("test_label").resolve(file);
            if (!Files.isRegularFile(trainFile)) {
                throw new EvaluationInputException("machine " + name + " has no training file " + trainFile);
            }
            if (!Files.isRegularFile(labelFile)) {
                throw new EvaluationInputException("machine " + name + " has no test label file " + labelFile);
            }
            SmdMatrix train = SmdFiles.readMatrix(trainFile);
            SmdMatrix test = SmdFiles.readMatrix(root.resolve("test").resolve(file));
            int[] labels = SmdFiles.readLabels(labelFile);
            if (train.columnCount() != test.columnCount()) {
                throw new EvaluationInputException("machine " + name + ": train has " + train.columnCount()
                        + " columns but test has " + test.columnCount());
            }
            if (labels.length != test.rowCount()) {
                throw new EvaluationInputException("machine " + name + ": " + labelFile + " has " + labels.length
                        + " labels but the test file has " + test.rowCount() + " rows");
            }
            return new Machine(name, train, test, labels);
        }
    }
}
