package dev.anomaly.models.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The z-score baseline: flat series stay quiet despite rounding in its running sums, and spikes are flagged. */
class WindowedZScoreDetectorTest {

    @Test
    void aConstantSeriesIsNeverFlaggedWhateverItsValue() {
        for (double c : new double[] {0.0, 0.3, 0.827236, 1.0 / 3, 1e6 + 0.1}) {
            double[] history = new double[5000];
            Arrays.fill(history, c);
            OnlineDetector detector = new WindowedZScoreDetector(1000, 4.0, history);
            for (int i = 0; i < 5000; i++) {
                Detection d = detector.update(c);
                assertThat(d.anomaly()).as("constant %s, row %d", c, i).isFalse();
                assertThat(d.anomalyScore()).as("constant %s, row %d", c, i).isLessThan(1e-6);
            }
        }
    }

    @Test
    void aChangeAfterAFlatWindowAndASpikeInNoiseAreFlagged() {
        double[] flat = new double[200];
        Arrays.fill(flat, 0.3);
        Detection step = new WindowedZScoreDetector(100, 4.0, flat).update(0.31);
        assertThat(step.anomaly()).isTrue();
        assertThat(step.anomalyScore()).isEqualTo(1.0);

        Random random = new Random(7);
        double[] noise = new double[500];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = 10 + random.nextGaussian();
        }
        OnlineDetector detector = new WindowedZScoreDetector(100, 4.0, noise);
        assertThat(detector.update(10.5).anomaly()).isFalse();
        assertThat(detector.update(25.0).anomaly()).isTrue();
    }

    @Test
    void zScoresMatchADirectComputationOverLongStreams() {
        Random random = new Random(11);
        int window = 50;
        double[] recent = new double[window];
        OnlineDetector detector = new WindowedZScoreDetector(window, 4.0, new double[0]);
        for (int i = 0; i < 200_000; i++) {
            double v = 100 + 0.01 * random.nextGaussian();
            Detection d = detector.update(v);
            if (i >= window) {
                double mean = Arrays.stream(recent).average().orElseThrow();
                double var = Arrays.stream(recent).map(x -> (x - mean) * (x - mean)).sum() / window;
                double z2 = (v - mean) * (v - mean) / var;
                assertThat(d.error()).as("row %d", i).isCloseTo(z2, Offset.offset(1e-6 * Math.max(1, z2)));
            }
            recent[i % window] = v;
        }
    }

    @Test
    void surpriseIsMinusLog10OfTheTwoSidedGaussianTailProbability() {
        // -log10 erfc(|z| / sqrt 2), computed with 40-digit arithmetic (mpmath).
        double[][] expected = {{1, 0.49851554582798930482}, {4, 4.1983049118924976696},
            {10, 22.817023409822094699}, {29.9, 195.70602044157939167}, {30, 197.00817926599696819},
            {30.1, 198.31467624158858429}, {40, 349.13597646368186089}, {100, 2173.5705128733703953},
            {1000, 217150.3390119987223}};
        for (double[] e : expected) {
            assertThat(WindowedZScoreDetector.surprise(e[0])).as("z = %s", e[0])
                    .isCloseTo(e[1], org.assertj.core.api.Assertions.within(1e-6 * e[1]));
            assertThat(WindowedZScoreDetector.surprise(-e[0])).isEqualTo(WindowedZScoreDetector.surprise(e[0]));
        }
        assertThat(WindowedZScoreDetector.surprise(0.0)).isZero();
        assertThat(WindowedZScoreDetector.surprise(Double.MAX_VALUE)).isInfinite();
    }

    @Test
    void aDetectionCarriesTheSurpriseOfItsZScore() {
        WindowedZScoreDetector d = new WindowedZScoreDetector(100, 4.0, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        Detection x = d.update(40.0);
        double z = x.residual() / Math.sqrt(8.25);
        assertThat(x.surprise()).isCloseTo(WindowedZScoreDetector.surprise(z),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(x.surprise()).isGreaterThan(16.0);
        assertThat(x.anomalyScore()).isLessThan(1.0);
    }

    /**
     * Large levels with small noise (byte counters, epoch-millisecond gauges): 20-sigma spikes are flagged and
     * ordinary rows are not, at every level. With sums of squares about 0 the variance cancelled away (at 1e9 half the
     * spikes were missed and 772 ordinary rows flagged; from 1.7e12 on no spike was flagged).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"0, 1", "1e9, 1", "1.7e12, 1", "1e15, 100", "-3e13, 0.5"})
    void largeLevelsWithSmallNoiseAreScoredLikeSmallOnes(double level, double sigma) {
        java.util.Random r = new java.util.Random(5);
        int n = 6000;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = level + sigma * r.nextGaussian();
        }
        OnlineDetector d = new WindowedZScoreDetector(1000, 4.0, java.util.Arrays.copyOf(y, 1000));
        int spikes = 0;
        int found = 0;
        int falseAlarms = 0;
        for (int i = 1000; i < n; i++) {
            boolean spike = i % 100 == 50;
            double v = spike ? y[i] + 20 * sigma : y[i];
            boolean alarm = d.update(v).anomaly();
            spikes += spike ? 1 : 0;
            found += spike && alarm ? 1 : 0;
            falseAlarms += !spike && alarm ? 1 : 0;
        }
        assertThat(found).as("spikes flagged at level %s", level).isEqualTo(spikes);
        assertThat(falseAlarms).as("ordinary rows flagged at level %s", level).isLessThanOrEqualTo(3);
    }
}
