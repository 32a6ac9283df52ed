package dev.anomaly.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked NAB scores. Expected values use sigma(y) = 2/(1+e^{5y}) - 1 = tanh(-5y/2), so they are written with
 * Math.tanh rather than the formula the scorer uses.
 *
 * <p>Unless said otherwise a file has N = 20 rows, so probation = min(floor(0.15*20), 750) = floor(3.0) = 3 rows
 * (0, 1, 2), and one window on rows [5, 9], width W = 5. The maximum in-window sigmoid is sigma(-1) = tanh(2.5) =
 * 0.98661.
 */
class NabScorerTest {

    private static final double EPS = 1e-12;
    private static final int N = 20;
    private static final List<NabRowWindow> ONE_WINDOW = List.of(new NabRowWindow(5, 9));

    private static NabFile file(String name, List<NabRowWindow> windows, int... detectedRows) {
        boolean[] detections = new boolean[N];
        for (int row : detectedRows) {
            detections[row] = true;
        }
        return NabFile.ofRowDecisions(name, detections, windows);
    }

    private static NabScore standard(NabFile... files) {
        return NabScorer.scoreDecisions(List.of(files)).get(NabProfile.STANDARD);
    }

    @Test
    void detectionOnWindowStartEarnsFullRewardAndScores100() {
        // y = -(9 - 5 + 1)/5 = -1, value = A_TP * sigma(-1)/sigma(-1) = 1. S = 1, S_null = -1, S_perfect = 1:
        // 100 * (1 - (-1)) / (1 - (-1)) = 100 for every profile (low FN: 100 * (1 + 2) / (1 + 2)).
        Map<NabProfile, NabScore> scores = NabScorer.scoreDecisions(List.of(file("f", ONE_WINDOW, 5)));

        for (NabScore score : scores.values()) {
            assertThat(score.raw()).isCloseTo(1.0, within(EPS));
            assertThat(score.normalised()).isCloseTo(100.0, within(EPS));
        }
        assertThat(scores.get(NabProfile.REWARD_LOW_FN_RATE).nullRaw()).isEqualTo(-2.0);
    }

    @Test
    void detectionOnWindowEndEarnsLess() {
        // y = -(9 - 9 + 1)/5 = -0.2, value = sigma(-0.2)/sigma(-1) = tanh(0.5)/tanh(2.5) = 0.46212/0.98661 = 0.46839.
        // Normalised: 100 * (0.46839 + 1) / 2 = 73.419.
        double expected = Math.tanh(0.5) / Math.tanh(2.5);

        NabScore score = standard(file("f", ONE_WINDOW, 9));

        assertThat(score.raw()).isCloseTo(expected, within(EPS)).isCloseTo(0.46839, within(1e-5));
        assertThat(score.normalised()).isCloseTo(73.419, within(1e-3));
    }

    @Test
    void onlyTheEarliestDetectionInAWindowCounts() {
        // Rows 5 and 9 both in the window: best value = 1 (row 5); row 9 counts neither way.
        assertThat(standard(file("f", ONE_WINDOW, 5, 9)).raw()).isCloseTo(1.0, within(EPS));
    }

    @Test
    void nullDetectorScoresZeroUnderEveryProfile() {
        // One missed window: S = -A_FN = S_null, so 100 * 0 / (S_perfect - S_null) = 0.
        Map<NabProfile, NabScore> scores = NabScorer.scoreDecisions(List.of(file("f", ONE_WINDOW)));

        assertThat(scores.get(NabProfile.STANDARD).raw()).isEqualTo(-1.0);
        assertThat(scores.get(NabProfile.REWARD_LOW_FN_RATE).raw()).isEqualTo(-2.0);
        for (NabScore score : scores.values()) {
            assertThat(score.normalised()).isCloseTo(0.0, within(EPS));
        }
    }

    @Test
    void falsePositiveAfterWindowIsWeightedByDistance() {
        // Row 12 after the window ending at R' = 9 with W' = 5: y = (12 - 9)/(5 - 1) = 0.75,
        // value = 0.11 * sigma(0.75) = 0.11 * tanh(-1.875) = 0.11 * -0.95405 = -0.10494. The window is missed: -1.
        // S = -1.10494; normalised 100 * (-1.10494 + 1) / 2 = -5.2472.
        double fp = 0.11 * Math.tanh(-1.875);

        NabScore score = standard(file("f", ONE_WINDOW, 12));

        assertThat(score.raw()).isCloseTo(-1.0 + fp, within(EPS)).isCloseTo(-1.10494, within(1e-5));
        assertThat(score.normalised()).isCloseTo(-5.2472, within(1e-4));
    }

    @Test
    void falsePositiveBeforeAnyWindowCostsFullFpWeight() {
        // Row 4 is before the window: -A_FP. With the hit on row 5: S = 1 - A_FP.
        // standard: 0.89 -> 100 * 1.89 / 2 = 94.5; low FP: 0.78 -> 89; low FN: 0.89 -> 100 * 2.89 / 3 = 96.333.
        Map<NabProfile, NabScore> scores = NabScorer.scoreDecisions(List.of(file("f", ONE_WINDOW, 4, 5)));

        assertThat(scores.get(NabProfile.STANDARD).raw()).isCloseTo(0.89, within(EPS));
        assertThat(scores.get(NabProfile.STANDARD).normalised()).isCloseTo(94.5, within(1e-9));
        assertThat(scores.get(NabProfile.REWARD_LOW_FP_RATE).normalised()).isCloseTo(89.0, within(1e-9));
        assertThat(scores.get(NabProfile.REWARD_LOW_FN_RATE).normalised()).isCloseTo(289.0 / 3, within(1e-9));
    }

    @Test
    void detectionsDuringProbationAreIgnored() {
        // Rows 0..2 are probation; detections there count neither as FP nor anywhere else: S = -1 (missed window).
        assertThat(standard(file("f", ONE_WINDOW, 0, 1, 2)).raw()).isEqualTo(-1.0);
    }

    @Test
    void sigmoidIsMinusOneOnlyBeyondThreeWindowWidths() {
        // Window [5, 6], W' = 2, so y = (i - 6)/1. Row 9: y = 3, not > 3, so sigma(3) = tanh(-7.5) = -0.99999939
        // and value = -0.10999993. Row 10: y = 4 > 3, so exactly -0.11. Window hit on row 5: +1.
        List<NabRowWindow> window = List.of(new NabRowWindow(5, 6));

        assertThat(standard(file("f", window, 5, 9)).raw()).isCloseTo(1 + 0.11 * Math.tanh(-7.5), within(EPS));
        assertThat(standard(file("f", window, 5, 10)).raw()).isCloseTo(1 - 0.11, within(EPS));
    }

    @Test
    void falsePositiveAfterAOneRowWindowCostsFullFpWeight() {
        // Window [5, 5], W' = 1: y = (6 - 5)/(1 - 1) = +infinity > 3, so the detection on row 6 costs -0.11 (NAB
        // would divide by zero; see NabScorer). Window hit on row 5: +1.
        assertThat(standard(file("f", List.of(new NabRowWindow(5, 5)), 5, 6)).raw()).isCloseTo(0.89, within(EPS));
    }

    @Test
    void falsePositiveIsMeasuredFromTheMostRecentWindow() {
        // Windows [5, 9] and [14, 15]; both hit on their first rows (+1 each). Row 16 follows [14, 15] (W' = 2):
        // y = (16 - 15)/(2 - 1) = 1, value = 0.11 * tanh(-2.5) = -0.10853 (from [5, 9] it would be y = 7/4,
        // -0.10997). S = 2 - 0.10853; S_null = -2, S_perfect = 2.
        List<NabRowWindow> windows = List.of(new NabRowWindow(5, 9), new NabRowWindow(14, 15));
        double expected = 2 + 0.11 * Math.tanh(-2.5);

        NabScore score = standard(file("f", windows, 5, 14, 16));

        assertThat(score.raw()).isCloseTo(expected, within(EPS)).isCloseTo(1.89147, within(1e-5));
        assertThat(score.normalised()).isCloseTo(100 * (expected + 2) / 4, within(1e-9));
    }

    @Test
    void corpusScoreSumsFilesAndNormalisesByAllWindows() {
        // File a: hit on window start, +1. File b: no windows, one detection on row 10 before any window: -0.11.
        // S = 0.89, one window in the corpus: 100 * (0.89 + 1) / 2 = 94.5.
        NabScore score = standard(file("a", ONE_WINDOW, 5), file("b", List.of(), 10));

        assertThat(score.rawByFile()).containsOnlyKeys("a", "b");
        assertThat(score.rawByFile().get("a")).isCloseTo(1.0, within(EPS));
        assertThat(score.rawByFile().get("b")).isCloseTo(-0.11, within(EPS));
        assertThat(score.windowCount()).isEqualTo(1);
        assertThat(score.raw()).isCloseTo(0.89, within(EPS));
        assertThat(score.normalised()).isCloseTo(94.5, within(1e-9));
    }

    @Test
    void rejectsTheSameFileTwice() {
        assertThatThrownBy(() -> standard(file("a", ONE_WINDOW), file("a", ONE_WINDOW)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void normalisedScoreIsUndefinedWithoutWindows() {
        assertThat(standard(file("b", List.of(), 10)).normalised()).isNaN();
    }
}
