package dev.anomaly.models.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Picks NAB's single corpus-wide detection threshold: the candidate that maximises the corpus raw score (SCORING.md
 * step 6, {@code Sweeper.calcScoreByThreshold} and {@code optimizeThreshold} upstream).
 *
 * <p>Candidates are every distinct score on a row after probation plus 1.1 (nothing detected); on exact ties the
 * highest threshold wins. The threshold is tuned on the labels it is then scored against.
 */
public final class NabThresholdSweep {

    /** The candidate that detects nothing. */
    public static final double NOTHING_DETECTED = 1.1;

    private NabThresholdSweep() {
    }

    /** The threshold in the candidate set that maximises the summed raw score of {@code files} under {@code profile}. */
    public static double bestThreshold(List<NabFile> files, NabProfile profile) {
        List<NabRowValues> values = new ArrayList<>(files.size());
        int[] windowOffset = new int[files.size()];
        int windowTotal = 0;
        int scorable = 0;
        for (int f = 0; f < files.size(); f++) {
            NabRowValues rows = NabRowValues.of(files.get(f), profile);
            values.add(rows);
            windowOffset[f] = windowTotal;
            windowTotal += files.get(f).windows().size();
            scorable += rows.rowCount() - rows.probation();
        }

        // Every scorable row as (score, file, row), visited from the highest score down.
        double[] score = new double[scorable];
        int[] fileOf = new int[scorable];
        int[] rowOf = new int[scorable];
        int k = 0;
        for (int f = 0; f < files.size(); f++) {
            NabRowValues rows = values.get(f);
            for (int i = rows.probation(); i < rows.rowCount(); i++) {
                score[k] = files.get(f).score(i);
                fileOf[k] = f;
                rowOf[k] = i;
                k++;
            }
        }
        Integer[] order = new Integer[scorable];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));

        double[] best = new double[windowTotal];
        Arrays.fill(best, -profile.fnWeight());
        double windowSum = -profile.fnWeight() * windowTotal;
        double outside = 0.0;
        double bestScore = windowSum;
        double bestThreshold = NOTHING_DETECTED;
        int j = 0;
        while (j < scorable) {
            double threshold = score[order[j]];
            // Admit every row at this score before evaluating, since all of them are detections at this threshold.
            for (; j < scorable && score[order[j]] == threshold; j++) {
                int p = order[j];
                NabRowValues rows = values.get(fileOf[p]);
                int w = rows.windowOf(rowOf[p]);
                double value = rows.value(rowOf[p]);
                if (w == NabRowValues.OUTSIDE) {
                    outside += value;
                } else if (value > best[windowOffset[fileOf[p]] + w]) {
                    windowSum += value - best[windowOffset[fileOf[p]] + w];
                    best[windowOffset[fileOf[p]] + w] = value;
                }
            }
            double total = outside + windowSum;
            if (total > bestScore) {
                bestScore = total;
                bestThreshold = threshold;
            }
        }
        return bestThreshold;
    }
}
