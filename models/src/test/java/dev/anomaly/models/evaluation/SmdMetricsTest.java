package dev.anomaly.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Hand-worked SMD metrics.
 *
 * <pre>
 * row          0 1 2 3 4 5 6 7 8 9
 * label        0 1 1 1 0 0 1 1 0 1     segments [1-3], [6-7], [9]
 * prediction   1 0 1 0 0 0 0 0 1 1
 * </pre>
 * TP = rows 2, 9 (2); FP = rows 0, 8 (2); FN = rows 1, 3, 6, 7 (4).
 */
class SmdMetricsTest {

    private static final double EPS = 1e-12;
    private static final int[] LABELS = {0, 1, 1, 1, 0, 0, 1, 1, 0, 1};
    private static final boolean[] PREDICTIONS = {true, false, true, false, false, false, false, false, true, true};

    @Test
    void pointWise() {
        // P = 2/4 = 0.5, R = 2/6 = 1/3, F1 = 2 * 0.5 * 1/3 / (0.5 + 1/3) = (1/3) / (5/6) = 0.4.
        SmdMetrics m = SmdMetrics.of(PREDICTIONS, LABELS);

        assertThat(m.precision()).isCloseTo(0.5, within(EPS));
        assertThat(m.recall()).isCloseTo(1.0 / 3, within(EPS));
        assertThat(m.f1()).isCloseTo(0.4, within(EPS));
    }

    @Test
    void pointAdjusted() {
        // [1-3] and [9] are hit, so their 3 + 1 rows all count: TP_adj = 4; [6-7] is missed: FN_adj = 2; FP = 2.
        // P_adj = 4/6, R_adj = 4/6, F1_adj = 2/3.
        SmdMetrics m = SmdMetrics.of(PREDICTIONS, LABELS);

        assertThat(m.adjustedTruePositives()).isEqualTo(4);
        assertThat(m.adjustedFalseNegatives()).isEqualTo(2);
        assertThat(m.adjustedPrecision()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.adjustedRecall()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.adjustedF1()).isCloseTo(2.0 / 3, within(EPS));
    }

    @Test
    void composite() {
        // Event recall = 2 of 3 segments; composite = 2 * 0.5 * 2/3 / (0.5 + 2/3) = (2/3) / (7/6) = 4/7.
        SmdMetrics m = SmdMetrics.of(PREDICTIONS, LABELS);

        assertThat(m.segments()).isEqualTo(3);
        assertThat(m.detectedSegments()).isEqualTo(2);
        assertThat(m.eventRecall()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.compositeF1()).isCloseTo(4.0 / 7, within(EPS));
    }

    @Test
    void poolingSumsCountsBeforeRatios() {
        // Second machine: labels 1 1 0, predictions 0 0 1 -> TP 0, FP 1, FN 2, one missed segment of 2 rows.
        // Pooled: TP 2, FP 3, FN 6; P = 2/5, R = 2/8, F1 = 2 * 0.4 * 0.25 / 0.65 = 4/13.
        // Adjusted: TP_adj 4, FN_adj 4, FP 3: P = 4/7, R = 1/2, F1 = (4/7) / (15/14) = 8/15.
        // Events: 2 of 4; composite = 2 * 0.4 * 0.5 / 0.9 = 4/9.
        SmdMetrics pooled = SmdMetrics.of(PREDICTIONS, LABELS)
                .plus(SmdMetrics.of(new boolean[] {false, false, true}, new int[] {1, 1, 0}));

        assertThat(pooled.f1()).isCloseTo(4.0 / 13, within(EPS));
        assertThat(pooled.adjustedF1()).isCloseTo(8.0 / 15, within(EPS));
        assertThat(pooled.compositeF1()).isCloseTo(4.0 / 9, within(EPS));
    }

    @Test
    void scoresAreFlaggedAtOrAboveTheThreshold() {
        // Scores 0.1, 0.5, 0.9 at threshold 0.5 flag rows 1 and 2, exactly the labelled ones: every metric is 1.
        SmdMetrics m = SmdMetrics.of(new double[] {0.1, 0.5, 0.9}, 0.5, new int[] {0, 1, 1});

        assertThat(m.f1()).isEqualTo(1.0);
        assertThat(m.adjustedF1()).isEqualTo(1.0);
        assertThat(m.compositeF1()).isEqualTo(1.0);
    }

    @Test
    void noFlagsGiveZeroNotNaN() {
        SmdMetrics m = SmdMetrics.of(new boolean[4], new int[] {0, 1, 1, 0});

        assertThat(m.precision()).isZero();
        assertThat(m.f1()).isZero();
        assertThat(m.compositeF1()).isZero();
    }

    @Test
    void rejectsMismatchedLengthsAndNonBinaryLabels() {
        assertThatThrownBy(() -> SmdMetrics.of(new boolean[2], new int[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmdMetrics.of(new boolean[2], new int[] {0, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 or 1");
    }
}
