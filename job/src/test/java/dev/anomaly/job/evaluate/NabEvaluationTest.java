package dev.anomaly.job.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.evaluation.NabFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code anomaly evaluate} on a tiny NAB-layout directory with the z-score detector. */
class NabEvaluationTest {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime START = LocalDateTime.of(2020, 1, 1, 0, 0);
    private static final int ROWS = 400;
    private static final int SPIKE = 300;

    @TempDir
    Path dir;
    Path data;
    Path labels;

    @BeforeEach
    void writeCorpus() throws IOException {
        data = dir.resolve("data");
        Random random = new Random(3);
        writeSeries("catB/spiky.csv", random, SPIKE);
        writeSeries("catA/quiet.csv", random, -1);
        writeSeries("catA/another.csv", random, -1);
        labels = dir.resolve("labels.json");
        Files.writeString(labels, "{\"windows\": {"
                + "\"catB/spiky.csv\": [[\"" + ts(SPIKE - 5) + ".000000\", \"" + ts(SPIKE + 5) + ".000000\"]],"
                + "\"catA/quiet.csv\": [], \"catA/another.csv\": []}}");
    }

    @Test
    void writesOneOutputRowPerInputRowWithProbationAtZeroAndTheSpikeFlagged() throws IOException {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("evaluate", "--input", data.toString(), "--out", out.toString(), "--mode", "zscore",
                "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        int probation = NabFile.probationLength(ROWS);
        for (String name : List.of("catA/another.csv", "catA/quiet.csv", "catB/spiky.csv")) {
            List<String> in = Files.readAllLines(data.resolve(name));
            List<String> lines = Files.readAllLines(out.resolve(name));
            assertThat(lines).hasSize(ROWS + 1);
            assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score,label");
            for (int i = 1; i <= ROWS; i++) {
                String[] f = lines.get(i).split(",");
                String[] g = in.get(i).split(",");
                assertThat(f).hasSize(4);
                assertThat(f[0]).isEqualTo(g[0]);
                assertThat(f[1]).isEqualTo(g[1]);
                double score = Double.parseDouble(f[2]);
                assertThat(score).isBetween(0.0, 1.0);
                assertThat(f[3]).isIn("0", "1");
                if (i - 1 < probation) {
                    assertThat(score).as("probation row %d of %s", i - 1, name).isZero();
                    assertThat(f[3]).isEqualTo("0");
                }
            }
        }
        List<String> spiky = Files.readAllLines(out.resolve("catB/spiky.csv"));
        assertThat(spiky.get(SPIKE + 1)).endsWith(",1");
        // The z-score's score is |z| / (|z| + 4): above 0.5 exactly when it alarms.
        assertThat(Double.parseDouble(spiky.get(SPIKE + 1).split(",")[2])).isGreaterThan(0.5);
        // Per-file lines in path order.
        assertThat(r.out().indexOf("catA/another.csv")).isLessThan(r.out().indexOf("catA/quiet.csv"));
        assertThat(r.out().indexOf("catA/quiet.csv")).isLessThan(r.out().indexOf("catB/spiky.csv"));
        assertThat(r.out()).doesNotContain("standard");
    }

    @Test
    void printsTheThreeNabProfilesWithLabelsAndTheSameOutputsForAnyThreadCount() throws IOException {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        CliRun r1 = CliRun.of("evaluate", "--input", data.toString(), "--out", one.toString(), "--mode", "zscore",
                "--labels", labels.toString(), "--threads", "1");
        CliRun r2 = CliRun.of("evaluate", "--input", data.toString(), "--out", two.toString(), "--mode", "zscore",
                "--labels", labels.toString(), "--threads", "3");
        assertThat(r1.code()).as(r1.err()).isZero();
        assertThat(r2.code()).as(r2.err()).isZero();
        for (String profile : List.of("standard", "reward_low_FP_rate", "reward_low_FN_rate")) {
            assertThat(r1.out()).containsPattern("(?m)^" + profile + " +-?\\d+\\.\\d\\d ");
        }
        assertThat(r1.out()).contains("1 windows in 3 files");
        assertThat(r1.out()).containsPattern("catB/spiky.csv +400 +60 +\\d+ +1");
        assertThat(withoutTimes(r1.out(), one)).isEqualTo(withoutTimes(r2.out(), two));
        for (String name : List.of("catA/another.csv", "catA/quiet.csv", "catB/spiky.csv")) {
            assertThat(Files.readAllLines(one.resolve(name))).isEqualTo(Files.readAllLines(two.resolve(name)));
        }
    }

    @Test
    void plotWritesOnePngPerFile() throws IOException {
        Path out = dir.resolve("plotted");
        CliRun r = CliRun.of("evaluate", "--input", data.toString(), "--out", out.toString(), "--mode", "zscore",
                "--labels", labels.toString(), "--plot");
        assertThat(r.code()).as(r.err()).isZero();
        for (String png : List.of("catA/another.png", "catA/quiet.png", "catB/spiky.png")) {
            assertPng(out.resolve("plots").resolve(png));
        }
    }

    @Test
    void aFileMissingFromTheLabelsIsExit2WithOneLine() throws IOException {
        Files.writeString(labels, "{\"windows\": {\"catB/spiky.csv\": [], \"catA/quiet.csv\": []}}");
        CliRun r = CliRun.of("evaluate", "--input", data.toString(), "--out", dir.resolve("o").toString(), "--mode",
                "zscore", "--labels", labels.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("catA/another.csv").contains("no entry");
    }

    /**
     * With {@code --training-rows} the detector trains on fewer rows than the probation, as the streaming job's
     * self-training does, and with {@code --reestimate-until} its model is estimated again as the rows go by; the
     * outputs keep NAB's contract (probation rows 0, the spike flagged) either way.
     */
    @Test
    void fewerTrainingRowsAndReestimationKeepTheOutputContract() throws IOException {
        int probation = NabFile.probationLength(ROWS);
        for (String mode : List.of("zscore", "sarima")) {
            Path out = dir.resolve("short-" + mode);
            List<String> args = new ArrayList<>(List.of("evaluate", "--input", data.toString(), "--out",
                    out.toString(), "--mode", mode, "--training-rows", "30"));
            if (mode.equals("sarima")) {
                args.addAll(List.of("--reestimate-until", "240"));
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isZero();
            List<String> spiky = Files.readAllLines(out.resolve("catB/spiky.csv"));
            assertThat(spiky).hasSize(ROWS + 1);
            for (int i = 1; i <= probation; i++) {
                assertThat(spiky.get(i)).as("%s probation row %d", mode, i - 1).endsWith(",0,0");
            }
            assertThat(spiky.get(SPIKE + 1)).as(mode).endsWith(",1");
        }
    }

    /**
     * A run that fails halfway (the second file is malformed, after the first one's output is computed) leaves the
     * output directory exactly as the previous run left it, and leaves no staging directory beside or inside it.
     */
    @Test
    void aRunThatFailsHalfwayLeavesThePreviousOutputsUntouched() throws IOException {
        Path out = dir.resolve("out");
        CliRun first = CliRun.of("evaluate", "--input", data.toString(), "--out", out.toString(), "--mode", "zscore",
                "--threads", "1");
        assertThat(first.code()).as(first.err()).isZero();
        Map<String, String> before = filesUnder(out);
        assertThat(before).containsOnlyKeys("catA/another.csv", "catA/quiet.csv", "catB/spiky.csv");

        writeSeries("catA/another.csv", new Random(99), 350);
        Files.writeString(data.resolve("catA/quiet.csv"), "timestamp,value\n" + ts(0) + ",1.0\n" + ts(1)
                + ",not-a-number\n");
        CliRun second = CliRun.of("evaluate", "--input", data.toString(), "--out", out.toString(), "--mode",
                "zscore", "--threads", "1");
        assertThat(second.code()).as(second.out()).isEqualTo(2);
        assertThat(second.err()).contains("quiet.csv");
        assertThat(filesUnder(out)).as("the previous run's outputs, unchanged").isEqualTo(before);
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("data", "labels.json", "out");
        }

        Files.delete(data.resolve("catA/quiet.csv"));
        CliRun third = CliRun.of("evaluate", "--input", data.toString(), "--out", out.toString(), "--mode", "zscore",
                "--threads", "1");
        assertThat(third.code()).as(third.err()).isZero();
        Map<String, String> after = filesUnder(out);
        assertThat(after.get("catA/another.csv")).as("replaced by the new run's output")
                .isNotEqualTo(before.get("catA/another.csv"));
        assertThat(after.get("catA/quiet.csv")).as("a file the new run did not write stays")
                .isEqualTo(before.get("catA/quiet.csv"));
    }

    /**
     * Files a detector cannot be trained on as NAB asks do not abort the run over the others: a probation too short
     * for the trainer's minimum waits for the rows it needs (scoring nothing before them), a file too short for any
     * training and a file whose training fails score 0 with one warning each, and every other file's output is
     * exactly what a run over it alone writes.
     */
    @Test
    void filesTheDetectorCannotTrainOnAreReportedAndTheOthersScored() throws IOException {
        Path alone = dir.resolve("alone");
        Files.createDirectories(alone.resolve("catB"));
        Files.copy(data.resolve("catB/spiky.csv"), alone.resolve("catB/spiky.csv"));
        Path aloneOut = dir.resolve("alone-out");
        CliRun reference = CliRun.of("evaluate", "--input", alone.toString(), "--out", aloneOut.toString(), "--mode",
                "sarima", "--threads", "1");
        assertThat(reference.code()).as(reference.err()).isZero();
        assertThat(reference.out()).doesNotContain("warning").doesNotContain("note:");

        Files.createDirectories(data.resolve("catC"));
        Random random = new Random(5);
        StringBuilder shortFile = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 60; i++) { // probation floor(0.15 * 60) = 9 rows, fewer than SARIMA's minimum
            shortFile.append(ts(i)).append(',').append(String.format(java.util.Locale.ROOT, "%.3f",
                    50 + random.nextGaussian())).append('\n');
        }
        Files.writeString(data.resolve("catC/short.csv"), shortFile.toString());
        Files.writeString(data.resolve("catC/tiny.csv"), "timestamp,value\n" + ts(0) + ",1\n" + ts(1) + ",2\n");
        StringBuilder huge = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < ROWS; i++) { // squares overflow a double: no variance can be estimated
            huge.append(ts(i)).append(',').append((1 + random.nextDouble()) * 1e300).append('\n');
        }
        Files.writeString(data.resolve("catC/huge.csv"), huge.toString());

        Path out = dir.resolve("out");
        CliRun r = CliRun.of("evaluate", "--input", data.toString(), "--out", out.toString(), "--mode", "sarima",
                "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("catB/spiky.csv")))
                .isEqualTo(Files.readString(aloneOut.resolve("catB/spiky.csv")));
        assertThat(r.out()).contains("note: catC/short.csv: its probation holds too few finite values to train on,"
                + " so the detector trained on the first 12 rows; rows 9 to 11 score 0");
        assertThat(r.out()).containsPattern("warning: catC/tiny.csv: fewer than 12 finite values in the whole file");
        assertThat(r.out()).contains("warning: catC/huge.csv: training on the first 60 rows failed, every row"
                + " scored 0: ");
        assertThat(r.out().lines().filter(l -> l.startsWith("warning") || l.startsWith("note"))).hasSize(3);

        List<String> shortOut = Files.readAllLines(out.resolve("catC/short.csv"));
        assertThat(shortOut).hasSize(61);
        for (int row = 0; row < 60; row++) {
            double score = Double.parseDouble(shortOut.get(row + 1).split(",")[2]);
            if (row < 12) {
                assertThat(score).as("row %d, before the detector is trained", row).isZero();
            } else {
                assertThat(score).as("row %d, scored by the detector (1 - its tail probability)", row).isPositive();
            }
        }
        for (String failed : List.of("catC/tiny.csv", "catC/huge.csv")) {
            assertThat(Files.readAllLines(out.resolve(failed)).stream().skip(1)
                    .map(l -> l.split(",")[2] + "," + l.split(",")[3]).distinct().toList())
                    .as(failed).containsExactly("0,0");
        }
    }

    /**
     * A detector that fails partway through a file (it throws, or gives a score outside [0, 1]) leaves that row and
     * the rest of the file at 0, with the failure in the file's result, and its earlier rows and detections as they
     * were; the other files are untouched.
     */
    @Test
    void aDetectorFailingPartwayLeavesTheRestOfThatFileAtZero() throws IOException {
        int failAt = 200;
        dev.anomaly.models.detection.DetectorTrainer trainer = history -> new dev.anomaly.models.detection
                .OnlineDetector() {
            private int row = history.length;

            @Override
            public dev.anomaly.models.detection.Detection update(double value) {
                int i = row++;
                double score = i % 10 == 0 ? 0.9 : 0.1;
                // the files are told apart by their value at failAt: 100 throws, 70 is scored out of range, and
                // the spiky file's ordinary value (about 50) is scored as any other row
                if (i == failAt && value > 90) {
                    throw new IllegalStateException("boom");
                } else if (i == failAt && value > 65) {
                    score = 1.5;
                }
                return new dev.anomaly.models.detection.Detection(value, value, 0, 0, 0, 0, 0.5, score, score > 0.5,
                        false);
            }
        };
        for (String[] file : new String[][] {{"catA/quiet.csv", "100.0"}, {"catA/another.csv", "70.0"}}) {
            Files.writeString(data.resolve(file[0]), Files.readString(data.resolve(file[0]))
                    .replaceFirst("(?m)^(" + java.util.regex.Pattern.quote(ts(failAt)) + "),.*$", "$1," + file[1]));
        }
        Path out = dir.resolve("out");
        NabResult result = new NabEvaluation(trainer, 2).run(data, out, null, false);
        int probation = NabFile.probationLength(ROWS);
        int flaggedBefore = 0;
        for (int i = probation; i < failAt; i++) {
            flaggedBefore += i % 10 == 0 ? 1 : 0;
        }
        for (NabFileResult f : result.files()) {
            List<String> lines = Files.readAllLines(out.resolve(f.name()));
            assertThat(lines).hasSize(ROWS + 1);
            boolean fails = !f.name().equals("catB/spiky.csv");
            for (int i = probation; i < ROWS; i++) {
                double expected = fails && i >= failAt ? 0.0 : i % 10 == 0 ? 0.9 : 0.1;
                assertThat(Double.parseDouble(lines.get(i + 1).split(",")[2])).as("%s row %d", f.name(), i)
                        .isEqualTo(expected);
            }
            if (fails) {
                assertThat(f.failure()).startsWith("the detector failed on row " + failAt + ", that row and the rest"
                        + " scored 0: ").contains(f.name().equals("catA/quiet.csv") ? "boom" : "outside [0, 1]");
                assertThat(f.detections()).isEqualTo(flaggedBefore);
            } else {
                assertThat(f.failure()).isNull();
            }
        }
    }

    private static Map<String, String> filesUnder(Path root) throws IOException {
        Map<String, String> files = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(f).toString().replace('\\', '/'), Files.readString(f));
            }
        }
        return files;
    }

    @Test
    void badCommandLinesAreExit2WithOneLine() {
        String out = dir.resolve("o").toString();
        List<String[]> bad = new ArrayList<>();
        bad.add(new String[] {"evaluate", "--input", dir.resolve("nope").toString(), "--out", out, "--mode",
                "zscore"});
        bad.add(new String[] {"evaluate", "--input", data.toString(), "--out", out, "--mode", "arima"});
        bad.add(new String[] {"evaluate", "--input", data.toString(), "--out", out, "--mode", "zscore",
                "--labels", dir.resolve("missing.json").toString()});
        bad.add(new String[] {"evaluate", "--input", data.toString(), "--out", out, "--format", "csv"});
        bad.add(new String[] {"evaluate", "--input", data.toString(), "--out", out, "--threads", "0"});
        bad.add(new String[] {"evaluate", "--input", data.toString(), "--out", out, "--seq-len", "1"});
        bad.add(new String[] {"evaluate", "--input", data.toString()});
        bad.add(new String[] {"evaluate", "--input", data.toString(), "--out", out, "--bogus"});
        bad.add(new String[] {"evaluate", "--input", data.toString(), "--out", out, "--training-rows", "0"});
        bad.add(new String[] {"evaluate", "--input", data.toString(), "--out", out, "--reestimate-until", "-5"});
        bad.add(new String[] {"evaluate", "--input", data.toString(), "--out", out, "--mode", "zscore",
                "--reestimate-until", "1000"});
        bad.add(new String[] {"evaluate", "--format", "smd", "--input", data.toString(), "--out", out,
                "--training-rows", "100"});
        bad.add(new String[] {"evaluate", "--format", "smd", "--input", data.toString(), "--out", out,
                "--reestimate-until", "1000"});
        for (String[] args : bad) {
            CliRun r = CliRun.of(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("anomaly evaluate: ");
        }
        assertThat(CliRun.of("evaluate", "--input", data.toString(), "--out", out, "--mode", "arima").err())
                .contains("unknown mode 'arima'");
    }

    static void assertPng(Path png) throws IOException {
        assertThat(png).isRegularFile();
        assertThat(Files.size(png)).isGreaterThan(1000);
        try (InputStream in = Files.newInputStream(png)) {
            assertThat(in.readNBytes(8)).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        }
    }

    private static String withoutTimes(String report, Path out) {
        return report.replace(out.toString(), "OUT").replaceAll("\\d+ threads", "N threads")
                .replaceAll("wall time .*", "");
    }

    private static String ts(int row) {
        return START.plusMinutes(5L * row).format(TS);
    }

    private void writeSeries(String name, Random random, int spikeRow) throws IOException {
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < ROWS; i++) {
            double v = 50 + 5 * Math.sin(2 * Math.PI * i / 48.0) + random.nextGaussian();
            if (i == spikeRow) {
                v += 200;
            }
            b.append(ts(i)).append(',').append(String.format(java.util.Locale.ROOT, "%.3f", v)).append('\n');
        }
        Path file = data.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, b.toString());
    }
}
