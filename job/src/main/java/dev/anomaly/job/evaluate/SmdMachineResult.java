package dev.anomaly.job.evaluate;

import dev.anomaly.models.evaluation.SmdMetrics;
import java.util.List;

/**
 * What the detector did on one SMD machine.
 *
 * @param machine the machine's name ({@code machine-1-7})
 * @param columns number of metric columns
 * @param threshold the row-score threshold taken from the training half
 * @param trainAtCeiling fraction of training rows whose score is 1, the ceiling: a quantile above
 *     {@code 1 - trainAtCeiling} gives threshold 1, which no row can exceed
 * @param scores each test row's score (the maximum over columns of s / (s + 3), s the column's surprise)
 * @param predictions each test row's decision, {@code score > threshold}
 * @param labels each test row's label
 * @param metrics counts and F1s of {@code predictions} against {@code labels}
 * @param failedColumns one line per column whose detector failed (scored 0), empty when none did
 * @param ownDecisions for reference: the metrics when a row is flagged as soon as any column's detector flags it
 *     ({@code Detection.anomaly()}), i.e. the detectors' own thresholds instead of the training quantile
 */
public record SmdMachineResult(String machine, int columns, double threshold, double trainAtCeiling,
                               double[] scores, boolean[] predictions,
                               int[] labels, SmdMetrics metrics, List<String> failedColumns,
                               SmdMetrics ownDecisions) {

    /** Number of test rows flagged. */
    public int flagged() {
        int n = 0;
        for (boolean p : predictions) {
            if (p) {
                n++;
            }
        }
        return n;
    }
}
