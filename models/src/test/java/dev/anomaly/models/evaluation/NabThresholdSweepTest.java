package dev.anomaly.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked threshold sweeps on one file of N = 20 rows (probation rows 0..2) with one window on rows [5, 9].
 *
 * <p>Scores: row 4 = 0.3 (before the window), row 5 = 0.6 (window start), row 7 = 0.5 (inside), row 12 = 0.9 (after
 * the window, y = (12 - 9)/4 = 0.75), row 1 = 0.95 (probation, never a candidate), every other row 0. Standard
 * profile, S(theta) with sigma(0.75) = tanh(-1.875) = -0.95405:
 * <ul>
 *   <li>1.1: nothing detected, S = -1</li>
 *   <li>0.9: row 12, S = -1 - 0.10494 = -1.10494</li>
 *   <li>0.6: + row 5, S = 1 - 0.10494 = 0.89506</li>
 *   <li>0.5: + row 7, later in the same window, S unchanged = 0.89506 (tie: the higher 0.6 wins)</li>
 *   <li>0.3: + row 4, S = 0.89506 - 0.11 = 0.78506</li>
 *   <li>0.0: every scorable row, adding ten more false positives after the window: lower still</li>
 * </ul>
 */
class NabThresholdSweepTest {

    private static final List<NabRowWindow> WINDOW = List.of(new NabRowWindow(5, 9));

    private static List<NabFile> corpus() {
        double[] scores = new double[20];
        scores[1] = 0.95;
        scores[4] = 0.3;
        scores[5] = 0.6;
        scores[7] = 0.5;
        scores[12] = 0.9;
        return List.of(NabFile.ofRowScores("f", scores, WINDOW));
    }

    @Test
    void picksTheHighestThresholdAmongEqualBestScores() {
        assertThat(NabThresholdSweep.bestThreshold(corpus(), NabProfile.STANDARD)).isEqualTo(0.6);
    }

    @Test
    void tunedScoreUsesTheBestThreshold() {
        // S(0.6) = 1 + 0.11 * tanh(-1.875) = 0.89506; normalised 100 * (0.89506 + 1) / 2 = 94.753.
        NabScore score = NabScorer.scoreTuned(corpus()).get(NabProfile.STANDARD);

        assertThat(score.threshold()).isEqualTo(0.6);
        assertThat(score.raw()).isCloseTo(1 + 0.11 * Math.tanh(-1.875), within(1e-12));
        assertThat(score.normalised()).isCloseTo(94.753, within(1e-3));
    }

    @Test
    void detectsNothingWhenEveryDetectionCostsMoreThanItEarns() {
        // With A_FP = 3: S(0.9) = -1 - 3 * 0.95405 = -3.862, S(0.6) = 1 - 2.862 = -1.862, S(0.3) = -4.862, all below
        // S(1.1) = -1, and S(0.0) adds more false positives.
        NabProfile costlyFalsePositives = new NabProfile("costly", 1.0, 3.0, 1.0, 1.0);

        assertThat(NabThresholdSweep.bestThreshold(corpus(), costlyFalsePositives))
                .isEqualTo(NabThresholdSweep.NOTHING_DETECTED);
    }
}
