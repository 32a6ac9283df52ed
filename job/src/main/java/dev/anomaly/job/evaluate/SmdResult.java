package dev.anomaly.job.evaluate;

import dev.anomaly.models.evaluation.SmdMetrics;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of an SMD evaluation: each machine's result in name order and the metrics pooled over machines
 * (summed counts, {@link SmdMetrics#plus}).
 *
 * @param machines per-machine results, sorted by name
 * @param pooled counts summed over machines
 * @param quantile the training-score quantile used for every machine's threshold
 */
public record SmdResult(List<SmdMachineResult> machines, SmdMetrics pooled, double quantile) {

    /** Prints the scoring rule, the per-machine table, the pooled line and any failed columns. */
    public void print(PrintStream out) {
        out.println("row score: MAX over the columns of s / (s + 3), s = each column detector's surprise,"
                + " -log10 of its tail probability (anomaly_score = 1 - that probability)");
        out.printf(Locale.ROOT, "threshold rule: quantile %s (linear interpolation) of the training half's row scores, scored"
                + " in-sample by detectors trained on that same half; pred = score > threshold%n",
                ScoreText.of(quantile));
        String head = "%-16s %9s %8s %8s %10s %8s %9s %9s %9s %9s %9s %12s%n";
        String row = "%-16s %9d %8d %8d %10.6f %8d %9.4f %9.4f %9.4f %9.4f %9.4f %12.4f%n";
        out.printf(Locale.ROOT, head, "machine", "test_rows", "labelled", "segments", "threshold", "flagged", "precision",
                "recall", "F1", "F1-PA", "event_rec", "F1-composite");
        for (SmdMachineResult m : machines) {
            SmdMetrics x = m.metrics();
            out.printf(Locale.ROOT, row, m.machine(), m.scores().length, x.truePositives() + x.falseNegatives(), x.segments(),
                    m.threshold(), m.flagged(), x.precision(), x.recall(), x.f1(), x.adjustedF1(), x.eventRecall(),
                    x.compositeF1());
        }
        long rows = machines.stream().mapToLong(m -> m.scores().length).sum();
        long flagged = machines.stream().mapToLong(SmdMachineResult::flagged).sum();
        out.printf(Locale.ROOT, head, "overall (pooled)", rows,
                pooled.truePositives() + pooled.falseNegatives(), pooled.segments(), "-", flagged,
                f(pooled.precision()), f(pooled.recall()), f(pooled.f1()), f(pooled.adjustedF1()),
                f(pooled.eventRecall()), f(pooled.compositeF1()));
        out.println();
        out.println("for reference only: the detectors' own decisions (a row is flagged when any column's detector"
                + " flags it), not the threshold rule above:");
        String ref = "%-16s %8s %9s %9s %9s %9s %9s %12s%n";
        out.printf(Locale.ROOT, ref, "machine", "flagged", "precision", "recall", "F1", "F1-PA", "event_rec",
                "F1-composite");
        SmdMetrics pooledOwn = new SmdMetrics(0, 0, 0, 0, 0, 0, 0);
        for (SmdMachineResult m : machines) {
            pooledOwn = pooledOwn.plus(m.ownDecisions());
            printReference(out, ref, m.machine(), m.ownDecisions());
        }
        printReference(out, ref, "overall (pooled)", pooledOwn);
        for (SmdMachineResult m : machines) {
            if (m.threshold() >= 1.0) {
                out.printf(Locale.ROOT, "note: %s: %.2f%% of the training rows score 1 (a tail probability of 0),"
                        + " the ceiling, so the threshold is 1 and no test row can exceed it%n", m.machine(),
                        100 * m.trainAtCeiling());
            }
            for (String failure : m.failedColumns()) {
                out.printf(Locale.ROOT, "warning: %s %s%n", m.machine(), failure);
            }
        }
    }

    private static void printReference(PrintStream out, String format, String name, SmdMetrics x) {
        out.printf(Locale.ROOT, format, name, x.truePositives() + x.falsePositives(), f(x.precision()),
                f(x.recall()), f(x.f1()), f(x.adjustedF1()), f(x.eventRecall()), f(x.compositeF1()));
    }

    private static String f(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }
}
