package dev.anomaly.models.detection;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The detector variants: the SARIMA-EE-LSTM hybrid, its two halves alone (for ablation), and a windowed z-score
 * baseline.
 */
public enum DetectorMode {
    /** SARIMA residuals, an LSTM predicting the next residual, the error between the two. */
    HYBRID,
    /** SARIMA alone: the standardised one-step residual is the error. */
    SARIMA,
    /** The LSTM alone on the normalised values: its one-step prediction error is the error. */
    LSTM,
    /** Baseline: the z-score of each value against a sliding window of the values before it. */
    ZSCORE;

    /** Parses a mode name such as {@code hybrid}, case-insensitively. */
    public static DetectorMode parse(String name) {
        for (DetectorMode m : values()) {
            if (m.name().equalsIgnoreCase(name.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "'; expected one of "
                + Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|")));
    }

    /** The lower-case name used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
