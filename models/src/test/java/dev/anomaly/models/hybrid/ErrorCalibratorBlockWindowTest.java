package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact block history gives the tail fit of the full window: while no block of 64 holds more than 8 of the
 * window's values above its 90% quantile, u, beta, xi and the threshold equal those computed here from the last N
 * values by sorting them, to the 16-bit codes' relative error.
 */
class ErrorCalibratorBlockWindowTest {
    private static final int CAPACITY = 4096;
    private static final double ALPHA = 1e-3;
    /** Relative error of one decoded value (LogCode: 2^(1/1024) - 1). */
    private static final double CODE_ERROR = 6.8e-4;

    /** u, beta, xi and threshold of the generalised-Pareto tail of {@code window}, straight from its definition. */
    private record Reference(double u, double beta, double xi, double threshold) {
        static Reference of(double[] window) {
            double[] s = window.clone();
            Arrays.sort(s);
            int n = s.length;
            int k = (int) Math.floor(0.9 * (n - 1));
            double u = s[k];
            int m = n - 1 - k;
            double a0 = 0;
            double a1 = 0;
            for (int i = 0; i < m; i++) {
                double e = s[k + 1 + i] - u;
                a0 += e / m;
                a1 += (1 - (i + 0.65) / m) * e / m;
            }
            double shape = 2 - a0 / (a0 - 2 * a1);
            double xi = Math.max(0, Math.min(0.9, shape));
            double beta = Math.max(0.05, xi == shape ? 2 * a0 * a1 / (a0 - 2 * a1) : a0 * (1 - xi));
            double p = ALPHA / 0.1;
            double threshold = u + (xi < 1e-9 ? -beta * Math.log(p) : beta / xi * (Math.pow(p, -xi) - 1));
            return new Reference(u, beta, xi, threshold);
        }
    }

    /** Each block of 64: 7 tail values 5 + Pareto(shape 1/3) and 57 body values uniform in [0, 5), shuffled. */
    private static double[] stream(int blocks, long seed) {
        Random rnd = new Random(seed);
        double[] y = new double[blocks * 64];
        for (int b = 0; b < blocks; b++) {
            double[] block = new double[64];
            for (int i = 0; i < 64; i++) {
                block[i] = i < 7 ? 5 + 2 * (Math.pow(1 - rnd.nextDouble(), -1.0 / 3) - 1) : 5 * rnd.nextDouble();
            }
            for (int i = 63; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                double t = block[i];
                block[i] = block[j];
                block[j] = t;
            }
            System.arraycopy(block, 0, y, b * 64, 64);
        }
        return y;
    }

    @Test
    void tailFitEqualsTheFullWindowsWhenNoBlockOverflows() {
        double[] y = stream(100, 5);
        ErrorCalibrator c = new ErrorCalibrator(CAPACITY, ALPHA);
        int checked = 0;
        for (int t = 0; t < y.length; t++) {
            c.learn(y[t]);
            if ((t + 1) % 64 == 0) {
                Reference r = Reference.of(Arrays.copyOfRange(y, Math.max(0, t + 1 - CAPACITY), t + 1));
                assertFitMatches(c, r, "after " + (t + 1));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(100);
    }

    @Test
    void seededTrainingErrorsGiveTheFullWindowsFit() {
        // 3,000 values: not a whole number of blocks, so the oldest block is partial.
        double[] y = Arrays.copyOfRange(stream(50, 8), 200, 3200);
        ErrorCalibrator c = new ErrorCalibrator(CAPACITY, ALPHA);
        c.seed(y);
        c.refresh();
        assertFitMatches(c, Reference.of(y), "seeded");
    }

    private static void assertFitMatches(ErrorCalibrator c, Reference r, String when) {
        // Each kept value is off by at most CODE_ERROR relative, so u too. The excesses x - u are off by up to
        // CODE_ERROR (x + u), several times their own size when u is large, and beta and xi are ratios of their
        // moments: 2% and 0.01 leave room for that, while a tail value lost or one of the wrong rank moves u.
        assertThat(c.tailStart()).as("u " + when).isCloseTo(r.u(), within(CODE_ERROR * r.u()));
        assertThat(c.tailScale()).as("beta " + when).isCloseTo(r.beta(), within(0.02 * r.beta()));
        assertThat(c.tailShape()).as("xi " + when).isCloseTo(r.xi(), within(0.01));
        assertThat(c.threshold()).as("threshold " + when).isCloseTo(r.threshold(),
                within(0.01 * r.threshold()));
    }

    @Test
    void aBurstIsCappedAtEightValuesPerBlock() {
        double[] y = stream(64, 9);
        for (int i = 0; i < 64; i++) {
            y[64 * 40 + i] = 1000 + i; // one block entirely above everything else
        }
        ErrorCalibrator c = new ErrorCalibrator(CAPACITY, ALPHA);
        for (double v : y) {
            c.learn(v);
        }
        // The reference window keeps the burst's 8 largest values and puts zeros in place of the other 56: the
        // sample count is the full window's, the values above u those of the capped burst.
        double[] capped = y.clone();
        for (int i = 0; i < 56; i++) {
            capped[64 * 40 + i] = 0;
        }
        Reference r = Reference.of(capped);
        assertThat(c.tailStart()).isCloseTo(r.u(), within(CODE_ERROR * r.u()));
        assertThat(c.threshold()).isCloseTo(r.threshold(), within(0.01 * r.threshold()));
        assertThat(c.threshold()).isLessThan(Reference.of(y).threshold());
    }

    @Test
    void stateOfAFullWindowIsAboutOneKibibyte() throws Exception {
        ErrorCalibrator c = new ErrorCalibrator(CAPACITY, ALPHA);
        double[] y = stream(100, 4);
        for (int t = 0; t < y.length - 59; t++) { // 99 blocks and 5 values
            c.learn(y[t]);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        c.writeState(new java.io.DataOutputStream(bytes));
        // capacity 4, block count 2, 64 blocks of (count 1 + 8 codes of 2), current block 1 + 5 x 2 and its rows 1,
        // four doubles.
        assertThat(bytes.size()).isEqualTo(4 + 2 + 64 * 17 + 11 + 1 + 32);
        ErrorCalibrator restored = new ErrorCalibrator(CAPACITY, ALPHA);
        restored.readState(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())), true);
        for (int t = y.length - 59; t < y.length; t++) { // completes the block: a refresh
            c.learn(y[t]);
            restored.learn(y[t]);
        }
        assertThat(restored.threshold()).isEqualTo(c.threshold());
        assertThat(restored.tailScale()).isEqualTo(c.tailScale());
    }

    @Test
    void scoreBelowUIsLinearAndContinuous() {
        ErrorCalibrator c = new ErrorCalibrator(CAPACITY, ALPHA);
        double[] y = stream(64, 3);
        c.seed(y);
        c.refresh();
        double u = c.tailStart();
        assertThat(c.score(0.0)).isEqualTo(0.0);
        assertThat(c.score(u / 2)).isCloseTo(0.45, within(1e-12));
        assertThat(c.score(Math.nextDown(u))).isCloseTo(0.9, within(1e-12));
        assertThat(c.score(u)).isCloseTo(0.9, within(1e-12));
        assertThat(c.score(c.threshold())).isCloseTo(1 - ALPHA, within(1e-9));
    }
}
