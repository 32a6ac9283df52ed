package dev.anomaly.job.evaluate;

import java.math.BigDecimal;

/** Writes numbers for the evaluation CSVs: exact (round-trip) decimals without exponents, 0 and 1 written short. */
final class ScoreText {

    private ScoreText() {
    }

    /** The shortest decimal that reads back as exactly {@code x}, in plain notation ({@code 0.0000123}, not 1.23E-5). */
    static String of(double x) {
        if (x == 0.0) {
            return "0";
        }
        if (x == 1.0) {
            return "1";
        }
        if (!Double.isFinite(x)) {
            return "NaN";
        }
        return new BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
    }
}
