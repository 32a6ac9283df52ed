package dev.anomaly.job.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorTrainer;
import dev.anomaly.models.detection.WindowedZScoreDetector;
import dev.anomaly.models.evaluation.SmdMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code anomaly evaluate --format smd} on a tiny SMD layout (38 columns, constant ones, an injected anomaly). */
class SmdEvaluationTest {
    private static final int COLUMNS = 38;
    private static final int TRAIN_ROWS = 300;
    private static final int TEST_ROWS = 250;
    private static final int ANOMALY_FROM = 150;
    private static final int ANOMALY_TO = 170;

    @TempDir
    Path root;

    @BeforeEach
    void writeLayout() throws IOException {
        Random random = new Random(5);
        writeMachine("machine-a", random);
        writeMachine("machine-b", random);
    }

    @Test
    void writesScoreAndPredPerTestRowAndPrintsTheF1sOfTheWrittenFile() throws IOException {
        Path out = root.resolve("out");
        CliRun r = CliRun.of("evaluate", "--format", "smd", "--input", root.toString(), "--out", out.toString(),
                "--mode", "zscore", "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("MAX over the columns").contains("quantile 0.995");
        SmdMetrics pooled = new SmdMetrics(0, 0, 0, 0, 0, 0, 0);
        for (String machine : List.of("machine-a", "machine-b")) {
            List<String> lines = Files.readAllLines(out.resolve(machine + ".csv"));
            assertThat(lines).hasSize(TEST_ROWS + 1);
            assertThat(lines.get(0)).isEqualTo("score,pred");
            boolean[] pred = new boolean[TEST_ROWS];
            for (int i = 0; i < TEST_ROWS; i++) {
                String[] f = lines.get(i + 1).split(",");
                assertThat(Double.parseDouble(f[0])).isBetween(0.0, 1.0);
                assertThat(f[1]).isIn("0", "1");
                pred[i] = f[1].equals("1");
            }
            assertThat(pred[ANOMALY_FROM]).as("the injected segment's first row").isTrue();
            int[] labels = Files.readAllLines(root.resolve("test_label").resolve(machine + ".txt")).stream()
                    .mapToInt(Integer::parseInt).toArray();
            SmdMetrics m = SmdMetrics.of(pred, labels);
            pooled = pooled.plus(m);
            assertThat(printedF1s(r.out(), machine)).containsExactly(f4(m.f1()), f4(m.adjustedF1()),
                    f4(m.compositeF1()));
            assertThat(m.detectedSegments()).isEqualTo(1);
        }
        assertThat(printedF1s(r.out(), "overall \\(pooled\\)")).containsExactly(f4(pooled.f1()),
                f4(pooled.adjustedF1()), f4(pooled.compositeF1()));
        assertThat(r.out()).doesNotContain("warning");
    }

    @Test
    void thresholdComesFromTheTrainingQuantileAndPlotsAreWritten() throws IOException {
        Path out = root.resolve("q");
        CliRun r = CliRun.of("evaluate", "--format", "smd", "--input", root.toString(), "--out", out.toString(),
                "--mode", "zscore", "--smd-quantile", "0.9", "--plot");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("quantile 0.9 ");
        NabEvaluationTest.assertPng(out.resolve("plots/machine-a.png"));
        NabEvaluationTest.assertPng(out.resolve("plots/machine-b.png"));
    }

    @Test
    void aColumnWhoseDetectorThrowsIsScoredZeroAndReported() {
        DetectorTrainer failsOnColumnsStartingAt7 = history -> {
            if (history.length > 0 && history[0] == 7.0) {
                throw new IllegalStateException("cannot model this column");
            }
            return WindowedZScoreDetector.trainer(50, 4.0).train(history);
        };
        double[] train = new double[40];
        java.util.Arrays.fill(train, 7.0);
        SmdColumnScores failed = SmdEvaluation.scoreColumn(failsOnColumnsStartingAt7, train, new double[] {1, 2});
        assertThat(failed.failure()).contains("cannot model this column");
        assertThat(failed.testScores()).containsExactly(0.0, 0.0);
        assertThat(failed.trainScores()).hasSize(40).containsOnly(0.0);

        DetectorTrainer outOfRange = history -> value -> new Detection(value, 0, 0, 0, 0, 0, 0, 1.5, true, false);
        assertThat(SmdEvaluation.scoreColumn(outOfRange, train, new double[] {1}).failure()).contains("outside [0, 1]");
    }

    @Test
    void rowScoreKeepsRankingSurprisesWhoseAnomalyScoreIsExactlyOne() {
        // Tail probabilities 1e-20, 1e-40, 1e-80: the anomaly score 1 - p is 1.0 for all three in double precision.
        double[] surprises = {20, 40, 80};
        double previous = SmdEvaluation.rowScore(16);
        for (double s : surprises) {
            assertThat(1.0 - Math.pow(10, -s)).isEqualTo(1.0);
            double r = SmdEvaluation.rowScore(s);
            assertThat(r).as("row score of surprise %s", s).isCloseTo(s / (s + 3.0), offset(1e-15))
                    .isGreaterThan(previous).isLessThan(1.0);
            previous = r;
        }
        assertThat(SmdEvaluation.rowScore(0.0)).isZero();
        assertThat(SmdEvaluation.rowScore(3.0)).as("the tail probability 1e-3").isEqualTo(0.5);
        assertThat(SmdEvaluation.rowScore(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    }

    @Test
    void columnScoresAreTheRowScoresOfTheDetectorsSurprises() {
        Random random = new Random(8);
        double[] train = new double[200];
        double[] test = new double[60];
        for (int i = 0; i < train.length; i++) {
            train[i] = random.nextGaussian();
        }
        for (int i = 0; i < test.length; i++) {
            test[i] = random.nextGaussian() + (i == 30 ? 60.0 : 0.0);
        }
        DetectorTrainer trainer = WindowedZScoreDetector.trainer(100, 4.0);
        SmdColumnScores c = SmdEvaluation.scoreColumn(trainer, train, test);
        var detector = trainer.train(train);
        for (int i = 0; i < test.length; i++) {
            Detection d = detector.update(test[i]);
            double s = d.surprise();
            assertThat(c.testScores()[i]).as("row %d", i).isEqualTo(s / (s + 3.0));
        }
        assertThat(c.testScores()[30]).as("a 60-sigma spike: p < 1e-16").isGreaterThan(c.testScores()[29])
                .isLessThan(1.0);
    }

    @Test
    void incompleteLayoutsAreExit2WithOneLine() throws IOException {
        String out = root.resolve("o").toString();
        Files.delete(root.resolve("test_label/machine-b.txt"));
        CliRun missingLabels = CliRun.of("evaluate", "--format", "smd", "--input", root.toString(), "--out", out,
                "--mode", "zscore");
        assertThat(missingLabels.code()).isEqualTo(2);
        assertThat(missingLabels.err().lines()).hasSize(1);
        assertThat(missingLabels.err()).contains("machine-b");

        CliRun noTest = CliRun.of("evaluate", "--format", "smd", "--input", root.resolve("test").toString(),
                "--out", out, "--mode", "zscore");
        assertThat(noTest.code()).isEqualTo(2);
        assertThat(noTest.err().lines()).hasSize(1);

        CliRun badQuantile = CliRun.of("evaluate", "--format", "smd", "--input", root.toString(), "--out", out,
                "--mode", "zscore", "--smd-quantile", "1.5");
        assertThat(badQuantile.code()).isEqualTo(2);
        assertThat(badQuantile.err().lines()).hasSize(1);
    }

    /** The F1, F1-PA and F1-composite columns of a machine's line (or the pooled line). */
    private static List<String> printedF1s(String report, String machine) {
        Matcher m = Pattern.compile("(?m)^" + machine + " .*$").matcher(report);
        assertThat(m.find()).as(machine + " line in\n" + report).isTrue();
        String[] f = m.group().trim().split(" +");
        List<String> tail = new ArrayList<>(List.of(f).subList(f.length - 6, f.length));
        return List.of(tail.get(2), tail.get(3), tail.get(5));
    }

    private static String f4(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    /**
     * 38 columns: a few constant (in both halves), the rest noisy daily-ish patterns in [0, 1]; the test half has
     * one labelled segment where three columns jump.
     */
    private void writeMachine(String machine, Random random) throws IOException {
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < TRAIN_ROWS + TEST_ROWS; i++) {
            boolean testRow = i >= TRAIN_ROWS;
            int t = i - TRAIN_ROWS;
            boolean anomalous = testRow && t >= ANOMALY_FROM && t < ANOMALY_TO;
            StringBuilder row = testRow ? test : train;
            for (int j = 0; j < COLUMNS; j++) {
                double v;
                if (j % 10 == 3) {
                    v = j == 3 ? 0.0 : 0.3;
                } else {
                    v = 0.5 + 0.2 * Math.sin(2 * Math.PI * (i + 7 * j) / 60.0) + 0.02 * random.nextGaussian();
                    if (anomalous && j < 3) {
                        v += 0.9;
                    }
                }
                row.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", v));
            }
            row.append('\n');
            if (testRow) {
                labels.append(anomalous ? "1\n" : "0\n");
            }
        }
        write("train/" + machine + ".txt", train.toString());
        write("test/" + machine + ".txt", test.toString());
        write("test_label/" + machine + ".txt", labels.toString());
    }

    private void write(String name, String text) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
