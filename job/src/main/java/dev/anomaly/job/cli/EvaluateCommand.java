package dev.anomaly.job.cli;

import dev.anomaly.job.evaluate.EvaluationInputException;
import dev.anomaly.job.evaluate.NabEvaluation;
import dev.anomaly.job.evaluate.NabResult;
import dev.anomaly.job.evaluate.SmdEvaluation;
import dev.anomaly.job.evaluate.SmdResult;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.detection.DetectorTrainer;
import dev.anomaly.models.evaluation.NabLabels;
import dev.anomaly.models.hybrid.DetectorTrainers;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.LstmStateMode;
import dev.anomaly.models.hybrid.ReestimationSchedule;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import dev.anomaly.models.io.SeriesFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * {@code anomaly evaluate}: runs a detector mode over a NAB-layout directory (online, after NAB's probation) or an
 * SMD-layout directory (trained on each column's training half) and writes per-file / per-machine outputs, the NAB
 * scores or SMD F1s, and optionally PNG charts.
 */
final class EvaluateCommand {
    static final String SYNOPSIS = "evaluate --input DIR --out DIR [--mode hybrid|sarima|lstm|zscore]"
            + " [--labels FILE] [--plot] [--format nab|smd] [--threads N] [--seq-len N] [--lstm-state window|carried|staggered] [--smd-quantile Q]"
            + " [--training-rows N] [--reestimate-until N]";

    private final PrintStream out;

    EvaluateCommand(PrintStream out) {
        this.out = out;
    }

    /** The options of one run, validated. */
    record Settings(Path input, Path out, DetectorMode mode, String format, Path labels, boolean plot, int threads,
                    HybridConfig config, double smdQuantile, int trainingRows, ReestimationSchedule reestimation) {
    }

    void run(String[] args) {
        Settings s = parse(args);
        // Charts are drawn off-screen; set before anything touches AWT.
        System.setProperty("java.awt.headless", "true");
        DetectorTrainer trainer;
        try {
            trainer = DetectorTrainers.forMode(s.mode(), s.config());
            if (trainer instanceof SarimaEeLstmTrainer models) {
                trainer = models.reestimatingOn(s.reestimation());
            }
        } catch (UnsupportedOperationException e) {
            throw new UsageException("evaluate: --mode " + s.mode().cliName() + " is not available yet ("
                    + e.getMessage() + ")");
        }
        long start = System.nanoTime();
        StagedOutputDirectory staged;
        try {
            staged = StagedOutputDirectory.create(s.out());
        } catch (IOException e) {
            throw new UsageException("evaluate: cannot create output directory " + s.out() + ": " + e.getMessage());
        }
        try {
            Runnable report;
            if (s.format().equals("nab")) {
                NabLabels labels = s.labels() == null ? null : loadLabels(s.labels());
                out.printf(Locale.ROOT, "evaluate: NAB layout %s, mode %s, %d threads%n", s.input(),
                        s.mode().cliName(), s.threads());
                NabResult result = new NabEvaluation(trainer, s.threads(), s.trainingRows())
                        .run(s.input(), staged.path(), labels, s.plot());
                report = () -> result.print(out);
            } else {
                out.printf(Locale.ROOT, "evaluate: SMD layout %s, mode %s, %d threads%n", s.input(),
                        s.mode().cliName(), s.threads());
                SmdResult result = new SmdEvaluation(trainer, s.threads(), s.smdQuantile())
                        .run(s.input(), staged.path(), s.plot());
                report = () -> result.print(out);
            }
            staged.publish();
            report.run();
        } catch (EvaluationInputException | SeriesFormatException e) {
            throw new UsageException("evaluate: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UsageException("evaluate: " + e.getMessage() + ": " + e.getCause().getMessage());
        } finally {
            staged.discard();
        }
        out.printf(Locale.ROOT, "outputs in %s%s; wall time %.1f s%n", s.out(), s.plot() ? " (charts in plots/)" : "",
                (System.nanoTime() - start) / 1e9);
    }

    static Settings parse(String[] args) {
        CommandLineOptions o = CommandLineOptions.parse("evaluate", args,
                Set.of("--input", "--out", "--mode", "--labels", "--format", "--threads", "--seq-len", "--lstm-state",
                        "--smd-quantile", "--training-rows", "--reestimate-until"), Set.of("--plot"));
        Path input = Path.of(o.required("--input"));
        Path outDir = Path.of(o.required("--out"));
        DetectorMode mode;
        try {
            mode = DetectorMode.parse(o.optional("--mode") == null ? "hybrid" : o.optional("--mode"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("evaluate: " + e.getMessage());
        }
        String format = o.optional("--format") == null ? "nab" : o.optional("--format").trim().toLowerCase(Locale.ROOT);
        if (!format.equals("nab") && !format.equals("smd")) {
            throw new UsageException("evaluate: --format must be nab or smd, got '" + o.optional("--format") + "'");
        }
        int threads = Runtime.getRuntime().availableProcessors();
        if (o.optional("--threads") != null) {
            threads = o.nonNegativeInteger("--threads", o.optional("--threads"));
            if (threads < 1) {
                throw new UsageException("evaluate: --threads must be >= 1, got " + threads);
            }
        }
        HybridConfig config = HybridConfig.defaults();
        if (o.optional("--seq-len") != null) {
            try {
                config = config.withSeqLen(o.nonNegativeInteger("--seq-len", o.optional("--seq-len")));
            } catch (IllegalArgumentException e) {
                throw new UsageException("evaluate: " + e.getMessage());
            }
        }
        if (o.optional("--lstm-state") != null) {
            try {
                config = config.withLstmState(LstmStateMode.parse(o.optional("--lstm-state")));
            } catch (IllegalArgumentException e) {
                throw new UsageException("evaluate: --" + e.getMessage());
            }
        }
        Path labels = o.optional("--labels") == null ? null : Path.of(o.optional("--labels"));
        if (labels != null && format.equals("smd")) {
            throw new UsageException("evaluate: --labels applies to --format nab; SMD labels come from ROOT/test_label/");
        }
        double quantile = SmdEvaluation.DEFAULT_QUANTILE;
        if (o.optional("--smd-quantile") != null) {
            if (format.equals("nab")) {
                throw new UsageException("evaluate: --smd-quantile applies to --format smd only");
            }
            quantile = o.numbers("--smd-quantile", o.optional("--smd-quantile"))[0];
            if (!(quantile > 0 && quantile <= 1) || o.optional("--smd-quantile").contains(",")) {
                throw new UsageException("evaluate: --smd-quantile must be one number in (0, 1], got '"
                        + o.optional("--smd-quantile") + "'");
            }
        }
        int trainingRows = 0;
        if (o.optional("--training-rows") != null) {
            if (format.equals("smd")) {
                throw new UsageException("evaluate: --training-rows applies to --format nab only (SMD trains on the"
                        + " training half)");
            }
            trainingRows = o.nonNegativeInteger("--training-rows", o.optional("--training-rows"));
            if (trainingRows < 1) {
                throw new UsageException("evaluate: --training-rows must be >= 1, got " + trainingRows);
            }
        }
        // As the job does by default: estimated again as the history grows, until the longest training history.
        // An SMD column's training half is longer than that already.
        ReestimationSchedule reestimation = format.equals("nab") && mode != DetectorMode.ZSCORE
                ? new ReestimationSchedule(config.maxTrainingPoints()) : ReestimationSchedule.NEVER;
        if (o.optional("--reestimate-until") != null) {
            if (format.equals("smd")) {
                throw new UsageException("evaluate: --reestimate-until applies to --format nab only (an SMD column's"
                        + " training half is longer than the longest training history)");
            }
            if (mode == DetectorMode.ZSCORE) {
                throw new UsageException("evaluate: --reestimate-until applies to the model modes (hybrid, sarima,"
                        + " lstm), not zscore");
            }
            reestimation = new ReestimationSchedule(o.nonNegativeInteger("--reestimate-until",
                    o.optional("--reestimate-until")));
        }
        if (!Files.isDirectory(input)) {
            throw new UsageException("evaluate: input directory " + input + " does not exist");
        }
        return new Settings(input, outDir, mode, format, labels, o.flag("--plot"), threads, config, quantile,
                trainingRows, reestimation);
    }

    private static NabLabels loadLabels(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("evaluate: labels file " + file + " does not exist");
        }
        try {
            return NabLabels.load(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("evaluate: cannot read labels file " + file + ": " + e.getMessage());
        }
    }
}
