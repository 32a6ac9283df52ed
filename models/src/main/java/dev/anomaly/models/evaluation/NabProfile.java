package dev.anomaly.models.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * A NAB application profile: the weights that price true positives, false positives and missed windows.
 *
 * <p>{@code tnWeight} is carried because NAB's profiles declare it, but, as in NAB, true negatives never enter the
 * score.
 *
 * @param name NAB's profile name
 * @param tpWeight A_TP, the reward for a detection on a window's first row
 * @param fpWeight A_FP, the largest cost of one detection outside every window
 * @param tnWeight A_TN, declared by NAB and unused by the score
 * @param fnWeight A_FN, the cost of a window without any detection
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double tnWeight, double fnWeight) {

    /** NAB's {@code standard} profile: A_TP 1, A_FP 0.11, A_TN 1, A_FN 1. */
    public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0, 1.0);

    /** NAB's {@code reward_low_FP_rate} profile: A_TP 1, A_FP 0.22, A_TN 1, A_FN 1. */
    public static final NabProfile REWARD_LOW_FP_RATE = new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0, 1.0);

    /** NAB's {@code reward_low_FN_rate} profile: A_TP 1, A_FP 0.11, A_TN 1, A_FN 2. */
    public static final NabProfile REWARD_LOW_FN_RATE = new NabProfile("reward_low_FN_rate", 1.0, 0.11, 1.0, 2.0);

    /** The three NAB profiles in NAB's order: standard, reward_low_FP_rate, reward_low_FN_rate. */
    public static final List<NabProfile> ALL = List.of(STANDARD, REWARD_LOW_FP_RATE, REWARD_LOW_FN_RATE);

    /** Checks that the name is present and every weight is finite and non-negative. */
    public NabProfile {
        Objects.requireNonNull(name, "name");
        requireWeight("tpWeight", tpWeight);
        requireWeight("fpWeight", fpWeight);
        requireWeight("tnWeight", tnWeight);
        requireWeight("fnWeight", fnWeight);
    }

    private static void requireWeight(String label, double weight) {
        if (!Double.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException(label + " must be finite and >= 0, got " + weight);
        }
    }
}
