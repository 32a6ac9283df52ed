package dev.anomaly.job.cli;

import dev.anomaly.job.train.FeatureSeries;
import dev.anomaly.job.train.FeatureTraining;
import dev.anomaly.job.train.FeatureTrainingException;
import dev.anomaly.job.train.TrainedFeature;
import dev.anomaly.job.train.TrainingInputException;
import dev.anomaly.job.train.TrainingInputs;
import dev.anomaly.job.train.TrainingProgress;
import dev.anomaly.job.train.TrainingSummary;
import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.io.SeriesFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code anomaly train}: trains one SARIMA-EE-LSTM feature model per series of a CSV file or directory, in
 * parallel, and writes them to one model file. Progress goes to stderr, the summary table to stdout.
 */
final class TrainCommand {
    static final String SYNOPSIS = "train --input FILE_OR_DIR --out model.zip [--features a,b,...] [--seq-len N]"
            + " [--mode hybrid|sarima|lstm] [--threads N] [--skip-failed]";

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    /** @param interactive stderr is a terminal: the progress bar is redrawn in place */
    TrainCommand(PrintStream out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    /** The options of one run, validated. */
    record Settings(Path input, Path out, List<String> features, DetectorMode mode, HybridConfig config,
                    int threads, boolean skipFailed) {
    }

    void run(String[] args) {
        Settings s = parse(args);
        List<FeatureSeries> series;
        // Notes wait until the input is known to be good, so that a bad input gets exactly one line.
        List<String> notes = new ArrayList<>();
        try {
            series = TrainingInputs.read(s.input(), s.features(), notes::add);
        } catch (TrainingInputException | SeriesFormatException e) {
            throw new UsageException("train: " + e.getMessage());
        }
        long start = System.nanoTime();
        List<TrainedFeature> trained;
        TrainingProgress progress = new TrainingProgress(err, interactive);
        try {
            FeatureTraining training = new FeatureTraining(s.mode(), s.config(), s.threads(), s.skipFailed());
            training.check(series);
            notes.forEach(note -> err.println("train: " + note));
            err.printf(Locale.ROOT, "train: %d feature%s from %s, mode %s, seq-len %d, %d thread%s%n", series.size(),
                    series.size() == 1 ? "" : "s", s.input(), s.mode().cliName(), s.config().seqLen(), s.threads(),
                    s.threads() == 1 ? "" : "s");
            trained = training.train(series, progress);
        } catch (FeatureTrainingException e) {
            throw new UsageException("train: " + e.getMessage()
                    + (s.skipFailed() ? "" : " (--skip-failed leaves such features out)"));
        } finally {
            progress.close();
        }
        if (trained.isEmpty()) {
            throw new UsageException("train: none of the " + series.size() + " features could be trained");
        }
        for (TrainedFeature f : trained) {
            if (f.exactFit()) {
                err.println("train: warning: feature '" + f.name() + "' follows an exact pattern in its"
                        + " training window (a constant, a perfect ramp or a long cycle that repeats exactly): its"
                        + " model knows no noise, so every series of it will alarm at every departure from that"
                        + " pattern for as long as the model file is in use; train it on a window in which it varies,"
                        + " or leave it out (--features) so that the job self-trains its series, which train again"
                        + " from their first departure");
            }
        }
        Map<String, FeatureModel> models = new LinkedHashMap<>();
        Map<String, TrainingRange> ranges = new LinkedHashMap<>();
        for (TrainedFeature f : trained) {
            models.put(f.name(), f.model());
            ranges.put(f.name(), f.range());
        }
        try {
            ModelFile.write(new TrainedModel(models, ranges), s.out());
        } catch (IOException e) {
            throw new UsageException("train: cannot write model file " + s.out() + ": " + e.getMessage());
        }
        out.print(TrainingSummary.table(trained));
        out.printf(Locale.ROOT, "model %s: %d feature%s, mode %s%s; wall time %.1f s%n", s.out(), trained.size(),
                trained.size() == 1 ? "" : "s", s.mode().cliName(),
                trained.size() == series.size() ? "" : " (" + (series.size() - trained.size()) + " skipped)",
                (System.nanoTime() - start) / 1e9);
    }

    static Settings parse(String[] args) {
        CommandLineOptions o = CommandLineOptions.parse("train", args,
                Set.of("--input", "--out", "--features", "--seq-len", "--mode", "--threads"), Set.of("--skip-failed"));
        Path input = Path.of(o.required("--input"));
        Path outFile = Path.of(o.required("--out"));
        if (Files.isDirectory(outFile)) {
            throw new UsageException("train: --out " + outFile + " is a directory; give the model file's path");
        }
        List<String> features = null;
        if (o.optional("--features") != null) {
            features = Arrays.stream(o.optional("--features").split(",")).map(String::trim)
                    .filter(f -> !f.isEmpty()).distinct().toList();
            if (features.isEmpty()) {
                throw new UsageException("train: --features needs at least one feature name");
            }
        }
        DetectorMode mode;
        try {
            mode = DetectorMode.parse(o.optional("--mode") == null ? "hybrid" : o.optional("--mode"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("train: " + e.getMessage());
        }
        if (mode == DetectorMode.ZSCORE) {
            throw new UsageException("train: --mode zscore has nothing to train; use hybrid, sarima or lstm");
        }
        int threads = Runtime.getRuntime().availableProcessors();
        if (o.optional("--threads") != null) {
            threads = o.nonNegativeInteger("--threads", o.optional("--threads"));
            if (threads < 1) {
                throw new UsageException("train: --threads must be >= 1, got " + threads);
            }
        }
        HybridConfig config = HybridConfig.defaults();
        if (o.optional("--seq-len") != null) {
            try {
                config = config.withSeqLen(o.nonNegativeInteger("--seq-len", o.optional("--seq-len")));
            } catch (IllegalArgumentException e) {
                throw new UsageException("train: " + e.getMessage());
            }
        }
        return new Settings(input, outFile, features, mode, config, threads, o.flag("--skip-failed"));
    }
}
