package dev.anomaly.models.evaluation;

/**
 * Detection counts of one SMD machine (or several, pooled with {@link #plus}) and the three F1 variants reported on
 * SMD: point-wise, point-adjusted and composite (Garg et al., 2021).
 *
 * <p>A segment is a maximal run of consecutive rows labelled 1. Point adjustment marks every row of a segment as
 * detected once any of its rows is; it leaves false positives unchanged. A ratio whose denominator is 0 is reported
 * as 0, as is an F1 whose precision and recall are both 0.
 *
 * @param truePositives labelled rows that are flagged
 * @param falsePositives unlabelled rows that are flagged
 * @param falseNegatives labelled rows that are not flagged
 * @param adjustedTruePositives labelled rows in segments with at least one flagged row
 * @param adjustedFalseNegatives labelled rows in segments without any flagged row
 * @param segments number of labelled segments
 * @param detectedSegments number of labelled segments with at least one flagged row
 */
public record SmdMetrics(long truePositives, long falsePositives, long falseNegatives, long adjustedTruePositives,
        long adjustedFalseNegatives, long segments, long detectedSegments) {

    /** Checks that counts are non-negative and consistent. */
    public SmdMetrics {
        if (truePositives < 0 || falsePositives < 0 || falseNegatives < 0 || adjustedTruePositives < 0
                || adjustedFalseNegatives < 0 || segments < 0 || detectedSegments < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
        if (truePositives + falseNegatives != adjustedTruePositives + adjustedFalseNegatives
                || detectedSegments > segments) {
            throw new IllegalArgumentException("inconsistent counts: labelled rows " + (truePositives + falseNegatives)
                    + " vs adjusted " + (adjustedTruePositives + adjustedFalseNegatives) + ", detected segments "
                    + detectedSegments + " of " + segments);
        }
    }

    /** Counts for per-row predictions against per-row labels (1 = anomalous, 0 = normal). */
    public static SmdMetrics of(boolean[] predictions, int[] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException(
                    predictions.length + " predictions but " + labels.length + " labels; expected one per row");
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long adjustedTp = 0;
        long adjustedFn = 0;
        long segments = 0;
        long detected = 0;
        int i = 0;
        while (i < labels.length) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("labels must be 0 or 1; row " + i + " has " + labels[i]);
            }
            if (labels[i] == 0) {
                if (predictions[i]) {
                    fp++;
                }
                i++;
                continue;
            }
            int start = i;
            boolean hit = false;
            for (; i < labels.length && labels[i] == 1; i++) {
                if (predictions[i]) {
                    tp++;
                    hit = true;
                } else {
                    fn++;
                }
            }
            segments++;
            if (hit) {
                detected++;
                adjustedTp += i - start;
            } else {
                adjustedFn += i - start;
            }
        }
        return new SmdMetrics(tp, fp, fn, adjustedTp, adjustedFn, segments, detected);
    }

    /** Counts for per-row anomaly scores flagged when {@code score >= threshold}, against 0/1 labels. */
    public static SmdMetrics of(double[] scores, double threshold, int[] labels) {
        boolean[] predictions = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            predictions[i] = scores[i] >= threshold;
        }
        return of(predictions, labels);
    }

    /** The pooled counts of this and {@code other}, for metrics over several machines. */
    public SmdMetrics plus(SmdMetrics other) {
        return new SmdMetrics(truePositives + other.truePositives, falsePositives + other.falsePositives,
                falseNegatives + other.falseNegatives, adjustedTruePositives + other.adjustedTruePositives,
                adjustedFalseNegatives + other.adjustedFalseNegatives, segments + other.segments,
                detectedSegments + other.detectedSegments);
    }

    /** Point-wise precision TP / (TP + FP). */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** Point-wise recall TP / (TP + FN). */
    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** Point-wise F1, the harmonic mean of {@link #precision()} and {@link #recall()}. */
    public double f1() {
        return harmonicMean(precision(), recall());
    }

    /** Precision after point adjustment, TP_adj / (TP_adj + FP). */
    public double adjustedPrecision() {
        return ratio(adjustedTruePositives, adjustedTruePositives + falsePositives);
    }

    /** Recall after point adjustment, TP_adj / (TP_adj + FN_adj). */
    public double adjustedRecall() {
        return ratio(adjustedTruePositives, adjustedTruePositives + adjustedFalseNegatives);
    }

    /** Point-adjusted F1, the harmonic mean of {@link #adjustedPrecision()} and {@link #adjustedRecall()}. */
    public double adjustedF1() {
        return harmonicMean(adjustedPrecision(), adjustedRecall());
    }

    /** Event-wise recall: the fraction of labelled segments with at least one flagged row. */
    public double eventRecall() {
        return ratio(detectedSegments, segments);
    }

    /** Composite F1: the harmonic mean of {@link #eventRecall()} and point-wise {@link #precision()}. */
    public double compositeF1() {
        return harmonicMean(precision(), eventRecall());
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }

    private static double harmonicMean(double a, double b) {
        return a + b == 0 ? 0.0 : 2 * a * b / (a + b);
    }
}
