package dev.anomaly.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code anomaly train} contract: inputs, the model file it writes, the summary table and bad input. */
class TrainCommandTest {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime START = LocalDateTime.of(2024, 3, 1, 0, 0);
    private static final int ROWS = 400;

    @TempDir
    Path dir;

    @Test
    void wideCsvTrainsEveryNumericColumnIntoAReadableModel() throws IOException {
        Random random = new Random(7);
        double[] cpu = ar(random, ROWS, 0.7, 50, 2);
        double[] mem = ar(random, ROWS, 0.4, 20, 1);
        List<String> lines = new ArrayList<>(List.of("Timestamp,cpu,mem,host"));
        for (int i = 0; i < ROWS; i++) {
            lines.add(ts(i) + "," + cpu[i] + "," + mem[i] + ",web-1");
        }
        Path csv = Files.write(dir.resolve("wide.csv"), lines);
        Path model = dir.resolve("models/model.zip");

        Run r = run("train", "--input", csv.toString(), "--seq-len", "8", "--threads", "2", "--out", model.toString());

        assertThat(r.code).as(r.err).isZero();
        TrainedModel m = ModelFile.read(model);
        assertThat(m.featureNames()).containsExactly("cpu", "mem");
        for (String f : List.of("cpu", "mem")) {
            TrainingRange range = m.training().get(f);
            assertThat(range.source()).isEqualTo(csv.toString());
            assertThat(range.points()).isEqualTo(ROWS);
            assertThat(range.from()).isEqualTo(ts(0));
            assertThat(range.to()).isEqualTo(ts(ROWS - 1));
            assertThat(range.seconds()).isPositive();
            FeatureModel fm = m.feature(f);
            assertThat(fm.mode()).isEqualTo(DetectorMode.HYBRID);
            assertThat(fm.config().seqLen()).isEqualTo(8);
            assertThat(fm.lstm()).isNotNull();
            assertThat(fm.threshold()).isPositive();
        }
        // The table: a header, then one row per feature with the order, exact llf and threshold of its model.
        List<String> table = r.out.lines().toList();
        assertThat(table.get(0).split("\\s+")).containsExactly("feature", "points", "sarima", "loglik", "lstm",
                "threshold", "seconds");
        for (int k = 0; k < 2; k++) {
            String f = k == 0 ? "cpu" : "mem";
            FeatureModel fm = m.feature(f);
            String row = table.get(k + 1);
            assertThat(row).startsWith(f + " ").contains(" 400 ")
                    .contains(fm.sarima().spec().order() + " " + fm.sarima().spec().trend().code())
                    .contains(String.format(Locale.ROOT, "%.3f",
                            fm.sarima().logLikelihood(k == 0 ? cpu : mem)))
                    .contains(String.format(Locale.ROOT, "%.6g", fm.threshold()));
            // The lstm column says whether the hybrid kept the network's residual correction.
            assertThat(row.split("\\s+")[5]).isEqualTo(fm.lstm().predictsZero() ? "dropped" : "correction");
        }
        assertThat(r.out).contains("model " + model + ": 2 features, mode hybrid");
        // Progress: a bar per finished feature (stderr is not a terminal), and the skipped text column.
        assertThat(r.err).contains("skipping column 'host'").contains("] 1/2 ").contains("[####################] 2/2 ");
        assertThat(r.err.lines().filter(l -> l.startsWith("[")).count()).isEqualTo(2);
    }

    /**
     * A feature that is constant in its training window (a disk idle while the training data was recorded) gets a
     * model that knows no noise; the model file is still written, but the operator is told which feature it is and
     * what to do. A feature that varies gets no such warning.
     */
    @Test
    void aFeatureConstantInItsTrainingWindowIsNamedInAWarning() throws IOException {
        Random random = new Random(3);
        double[] cpu = ar(random, 200, 0.5, 50, 2);
        List<String> lines = new ArrayList<>(List.of("timestamp,cpu,disk_errors"));
        for (int i = 0; i < cpu.length; i++) {
            lines.add(ts(i) + "," + cpu[i] + ",0");
        }
        Path csv = Files.write(dir.resolve("idle.csv"), lines);
        Path model = dir.resolve("idle.zip");

        Run r = run("train", "--input", csv.toString(), "--mode", "sarima", "--out", model.toString());

        assertThat(r.code).as(r.err).isZero();
        assertThat(ModelFile.read(model).featureNames()).containsExactly("cpu", "disk_errors");
        assertThat(r.err.lines().filter(l -> l.startsWith("train: warning:")).toList()).singleElement()
                .satisfies(w -> assertThat(w).contains("feature 'disk_errors' follows an exact pattern")
                        .contains("leave it out (--features)"));
    }

    @Test
    void directoryInputTrainsEveryCsvNamedByItsRelativePath() throws IOException {
        Random random = new Random(11);
        Path data = dir.resolve("data");
        nabFile(data.resolve("realA/first.csv"), ar(random, 300, 0.5, 10, 1));
        nabFile(data.resolve("realB/sub/second.csv"), ar(random, 250, 0.6, 5, 1));
        Files.writeString(data.resolve("README.md"), "not a series\n");
        Path model = dir.resolve("nab.zip");

        Run r = run("train", "--input", data.toString(), "--mode", "sarima", "--out", model.toString());

        assertThat(r.code).as(r.err).isZero();
        TrainedModel m = ModelFile.read(model);
        assertThat(m.featureNames()).containsExactly("realA/first", "realB/sub/second");
        assertThat(m.training().get("realB/sub/second")).satisfies(t -> {
            assertThat(t.points()).isEqualTo(250);
            assertThat(t.from()).isEqualTo(ts(0));
            assertThat(t.to()).isEqualTo(ts(249));
            assertThat(t.source()).endsWith("second.csv");
        });
        assertThat(m.feature("realA/first").lstm()).isNull();
        assertThat(r.out).contains("realA/first").contains("realB/sub/second");
    }

    @Test
    void featuresOptionRestrictsTrainingToTheNamedOnes() throws IOException {
        Random random = new Random(5);
        double[] a = ar(random, 200, 0.5, 1, 1);
        double[] b = ar(random, 200, 0.5, 1, 1);
        List<String> lines = new ArrayList<>(List.of("timestamp,a,b"));
        for (int i = 0; i < a.length; i++) {
            lines.add(ts(i) + "," + a[i] + "," + b[i]);
        }
        Path csv = Files.write(dir.resolve("two.csv"), lines);
        Path model = dir.resolve("b.zip");

        Run r = run("train", "--input", csv.toString(), "--features", "b", "--mode", "lstm", "--seq-len", "8",
                "--out", model.toString());

        assertThat(r.code).as(r.err).isZero();
        TrainedModel m = ModelFile.read(model);
        assertThat(m.featureNames()).containsExactly("b");
        assertThat(m.feature("b").sarima()).isNull();
        // lstm mode has no SARIMA part: order and log-likelihood are '-'.
        assertThat(r.out.lines().toList().get(1).split("\\s+")).startsWith("b", "200", "-", "-");
    }

    @Test
    void oneNumberPerLineIsOneFeatureNamedAfterTheFileAndSkipFailedLeavesShortOnesOut() throws IOException {
        Random random = new Random(9);
        Path plain = dir.resolve("latency.txt");
        Files.write(plain, Arrays.stream(ar(random, 150, 0.3, 3, 1)).mapToObj(Double::toString).toList());
        Run one = run("train", "--input", plain.toString(), "--mode", "sarima", "--out", dir.resolve("p.zip").toString());
        assertThat(one.code).as(one.err).isZero();
        TrainedModel p = ModelFile.read(dir.resolve("p.zip"));
        assertThat(p.featureNames()).containsExactly("latency");
        assertThat(p.training().get("latency")).extracting(TrainingRange::points, TrainingRange::from)
                .containsExactly(150, "");

        Path data = dir.resolve("mixed");
        nabFile(data.resolve("long.csv"), ar(random, 150, 0.3, 3, 1));
        nabFile(data.resolve("short.csv"), ar(random, 8, 0.3, 3, 1));
        Run r = run("train", "--input", data.toString(), "--mode", "sarima", "--skip-failed", "--out",
                dir.resolve("m.zip").toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(ModelFile.read(dir.resolve("m.zip")).featureNames()).containsExactly("long");
        assertThat(r.err).contains("short skipped: training needs at least 12 values");
        assertThat(r.out).contains("(1 skipped)");
    }

    @Test
    void badInputExitsWithCodeTwoAndOneLineOnStderr() throws IOException {
        Random random = new Random(3);
        List<String> lines = new ArrayList<>(List.of("timestamp,cpu,mem"));
        double[] v = ar(random, 100, 0.5, 1, 1);
        for (int i = 0; i < v.length; i++) {
            lines.add(ts(i) + "," + v[i] + "," + (i == 5 ? "oops" : Double.toString(v[i])));
        }
        Path bad = Files.write(dir.resolve("bad.csv"), lines);
        Path good = Files.write(dir.resolve("good.csv"), lines.stream().map(l -> l.replace("oops", "")).toList());
        List<String> wide = new ArrayList<>(lines.subList(0, 10));
        wide.set(4, ts(3) + ",1.5,2.0,7");
        Path extra = Files.write(dir.resolve("extra.csv"), wide.stream().map(l -> l.replace("oops", "")).toList());
        Path shortFile = dir.resolve("short/tiny.csv");
        nabFile(shortFile, ar(random, 30, 0.5, 1, 1));
        String out = dir.resolve("never.zip").toString();
        List<List<String>> cases = List.of(
                List.of("train", "--input", dir.resolve("missing.csv").toString(), "--out", out),
                List.of("train", "--input", good.toString(), "--features", "cpu,disk", "--out", out),
                List.of("train", "--input", shortFile.getParent().toString(), "--out", out),
                List.of("train", "--input", bad.toString(), "--out", out),
                List.of("train", "--input", good.toString()),
                List.of("train", "--input", good.toString(), "--mode", "zscore", "--out", out),
                List.of("train", "--input", good.toString(), "--threads", "0", "--out", out),
                List.of("train", "--input", good.toString(), "--seq-len", "1", "--out", out),
                List.of("train", "--input", dir.resolve("empty").toString(), "--out", out),
                List.of("train", "--input", extra.toString(), "--out", out));
        Files.createDirectories(dir.resolve("empty"));
        List<String> expected = List.of("missing.csv does not exist",
                "unknown feature 'disk'; the input has 2 features: cpu, mem",
                "feature 'tiny' cannot be trained: training needs at least 80 values",
                "bad.csv: line 7: column 'mem' value 'oops' is not a number",
                "missing required option --out",
                "--mode zscore",
                "--threads must be >= 1",
                "seq-len must be an integer >= 2",
                "holds no *.csv file",
                "extra.csv: line 5 has 4 fields, expected 3 (commas inside quoted values are not supported)");
        for (int i = 0; i < cases.size(); i++) {
            Run r = run(cases.get(i).toArray(String[]::new));
            assertThat(r.code).as("exit code of %s (stderr %s)", cases.get(i), r.err).isEqualTo(2);
            assertThat(r.err.lines().count()).as("stderr of %s: %s", cases.get(i), r.err).isEqualTo(1);
            assertThat(r.err).startsWith("anomaly train: ").contains(expected.get(i));
            assertThat(r.out).isEmpty();
        }
        assertThat(dir.resolve("never.zip")).doesNotExist();
    }

    /** An AR(1) series around {@code mean}: x_t = mean + phi (x_{t-1} - mean) + sd * noise. */
    private static double[] ar(Random random, int n, double phi, double mean, double sd) {
        double[] x = new double[n];
        double e = 0;
        for (int i = 0; i < n; i++) {
            e = phi * e + sd * random.nextGaussian();
            x[i] = Math.round((mean + e) * 1e4) / 1e4;
        }
        return x;
    }

    private static void nabFile(Path file, double[] values) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>(List.of("timestamp,value"));
        for (int i = 0; i < values.length; i++) {
            lines.add(ts(i) + "," + values[i]);
        }
        Files.write(file, lines);
    }

    private static String ts(int i) {
        return START.plusMinutes(5L * i).format(TS);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AnomalyCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
