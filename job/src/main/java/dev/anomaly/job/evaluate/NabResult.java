package dev.anomaly.job.evaluate;

import dev.anomaly.models.evaluation.NabFile;
import dev.anomaly.models.evaluation.NabProfile;
import dev.anomaly.models.evaluation.NabScore;
import dev.anomaly.models.evaluation.NabScorer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a NAB evaluation: each file's result in path order and, with labels, the NAB scores of the
 * detector's own decisions plus, for reference only, the scores at NAB's label-tuned threshold on the anomaly
 * scores (what the published scoreboard reports).
 *
 * @param files per-file results, sorted by path
 * @param scores normalised NAB scores of the detector's 0/1 decisions per profile; empty without labels
 * @param tunedScores scores of the anomaly scores at the threshold NAB tunes on these labels; empty without labels
 */
public record NabResult(List<NabFileResult> files, Map<NabProfile, NabScore> scores,
                        Map<NabProfile, NabScore> tunedScores) {

    static NabResult of(List<NabFileResult> files, boolean labelled) {
        if (!labelled) {
            return new NabResult(List.copyOf(files), Map.of(), Map.of());
        }
        List<NabFile> decisions = new ArrayList<>(files.size());
        List<NabFile> scores = new ArrayList<>(files.size());
        for (NabFileResult f : files) {
            decisions.add(NabFile.ofRowDecisions(f.name(), f.decisions(), f.windows()));
            scores.add(NabFile.ofRowScores(f.name(), f.scores(), f.windows()));
        }
        return new NabResult(List.copyOf(files), NabScorer.scoreDecisions(decisions),
                NabScorer.scoreTuned(scores));
    }

    /** Whether the files were scored against labels. */
    public boolean labelled() {
        return !scores.isEmpty();
    }

    /** Prints the per-file summary and, with labels, the score table. */
    public void print(PrintStream out) {
        int width = Math.max(4, files.stream().mapToInt(f -> f.name().length()).max().orElse(4));
        String rowFormat = "%-" + width + "s %8s %9s %10s" + (labelled() ? " %7s" : "") + "%n";
        out.printf(Locale.ROOT, rowFormat, labelled() ? new Object[] {"file", "rows", "probation", "detections", "windows"}
                : new Object[] {"file", "rows", "probation", "detections"});
        long rows = 0;
        long detections = 0;
        int windows = 0;
        for (NabFileResult f : files) {
            rows += f.rows();
            detections += f.detections();
            if (labelled()) {
                windows += f.windows().size();
                out.printf(Locale.ROOT, rowFormat, f.name(), f.rows(), f.probation(), f.detections(), f.windows().size());
            } else {
                out.printf(Locale.ROOT, rowFormat, f.name(), f.rows(), f.probation(), f.detections());
            }
        }
        out.printf(Locale.ROOT, "%d files, %d rows, %d detections%n", files.size(), rows, detections);
        for (NabFileResult f : files) {
            if (f.failure() != null) {
                out.printf(Locale.ROOT, "warning: %s: %s%n", f.name(), f.failure());
            } else if (f.firstScored() > f.probation()) {
                out.printf(Locale.ROOT, "note: %s: its probation holds too few finite values to train on, so the"
                        + " detector trained on the first %d rows; rows %d to %d score 0%n", f.name(),
                        f.firstScored(), f.probation(), f.firstScored() - 1);
            }
        }
        if (!labelled()) {
            return;
        }
        out.println();
        out.printf(Locale.ROOT, "NAB scores of the detector's own decisions (label column), %d windows in %d files:%n", windows,
                files.size());
        out.printf(Locale.ROOT, "%-20s %10s %12s %12s %12s%n", "profile", "normalised", "raw", "null", "perfect");
        for (Map.Entry<NabProfile, NabScore> e : scores.entrySet()) {
            NabScore s = e.getValue();
            out.printf(Locale.ROOT, "%-20s %10.2f %12.4f %12.4f %12.4f%n", e.getKey().name(), s.normalised(), s.raw(),
                    s.nullRaw(), s.perfectRaw());
        }
        out.println();
        out.println("for reference only: anomaly_score at the threshold NAB tunes on these same labels"
                + " (how the published scoreboard is made; not a fair online result):");
        for (Map.Entry<NabProfile, NabScore> e : tunedScores.entrySet()) {
            out.printf(Locale.ROOT, "%-20s %10.2f   threshold %s%n", e.getKey().name(), e.getValue().normalised(),
                    ScoreText.of(e.getValue().threshold()));
        }
    }
}
