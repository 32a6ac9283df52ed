package dev.anomaly.models.hybrid;

/**
 * A 16-bit code for a non-negative error on a log2 fixed-point scale, 512 codes per octave: code 0 stands for 0 and
 * for everything below 2^-64, codes 1 to 65535 for 2^-64 to about 2^64 (larger values saturate at the last code).
 * Decoding is off by at most 2^(1/1024) - 1 = 6.8e-4 relative, and the codes sort like the values they stand for.
 */
final class LogCode {
    static final int PER_OCTAVE = 512;
    private static final int MIN_EXPONENT = -64;
    private static final double MIN_VALUE = Math.scalb(1.0, MIN_EXPONENT);
    private static final int MAX_CODE = 0xFFFF;
    private static final double LN2 = Math.log(2.0);

    private LogCode() {
    }

    /** The code of {@code value} (finite, >= 0; negative values count as 0). */
    static char encode(double value) {
        if (!(value >= MIN_VALUE)) {
            return 0;
        }
        long code = Math.round((Math.log(value) / LN2 - MIN_EXPONENT) * PER_OCTAVE) + 1;
        return (char) Math.min(MAX_CODE, Math.max(1, code));
    }

    /**
     * The number of codes by which multiplying values by {@code factor} (finite, > 0) moves their codes: log2(factor)
     * octaves, rounded to a whole code, so off by at most 2^(1/1024) relative beyond the code's own error.
     */
    static long steps(double factor) {
        return Math.round(Math.log(factor) / LN2 * PER_OCTAVE);
    }

    /** {@code code} moved by {@code steps} codes ({@link #steps}), saturating at both ends; 0 stays 0. */
    static char shifted(char code, long steps) {
        return code == 0 ? 0 : (char) Math.min(MAX_CODE, Math.max(1, code + steps));
    }

    /** The value {@code code} stands for. */
    static double decode(char code) {
        if (code == 0) {
            return 0.0;
        }
        return Math.pow(2.0, (double) (code - 1) / PER_OCTAVE + MIN_EXPONENT);
    }
}
