package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RetrainingDetectorTest {

    @Test
    void refitsEveryIntervalFromPastValuesAndKeepsDetecting() {
        HybridConfig config = refittingEvery100(800);
        double[] y = SyntheticAnomalies.clean(SarimaEeLstmTest.TRAIN + 400, 21);
        y[SarimaEeLstmTest.TRAIN + 350] += 8 * SyntheticAnomalies.SIGMA;
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.SARIMA, config);
        RetrainingDetector d = (RetrainingDetector) trainer.train(Arrays.copyOf(y, SarimaEeLstmTest.TRAIN));
        SarimaEeLstm first = d.current();
        boolean spikeFlagged = false;
        for (int t = SarimaEeLstmTest.TRAIN; t < y.length; t++) {
            Detection r = d.update(y[t]);
            assertThat(r.anomalyScore()).isBetween(0.0, 1.0);
            spikeFlagged |= t == SarimaEeLstmTest.TRAIN + 350 && r.anomaly();
            if (t == SarimaEeLstmTest.TRAIN + 98) {
                assertThat(d.current()).isSameAs(first);
            }
            if (t == SarimaEeLstmTest.TRAIN + 99) {
                assertThat(d.current()).as("refitted after 100 scored values").isNotSameAs(first);
            }
        }
        assertThat(spikeFlagged).isTrue();
    }

    /**
     * A refit falling due inside a long outage (every value of the refit window missing) keeps the model in use and
     * the detection of that value; the refit after the outage fits again and the detector goes on finding spikes.
     * Before, the refit of an all-missing history threw on that value and on every later one until values came back.
     */
    @Test
    void aRefitDueDuringALongOutageKeepsTheModelAndTheDetection() {
        HybridConfig config = refittingEvery100(300);
        int train = SarimaEeLstmTest.TRAIN;
        double[] y = SyntheticAnomalies.clean(train + 1500, 22);
        Arrays.fill(y, train + 100, train + 700, Double.NaN);
        int spikeAt = train + 1300;
        y[spikeAt] += 10 * SyntheticAnomalies.SIGMA;
        RetrainingDetector d = (RetrainingDetector) new SarimaEeLstmTrainer(DetectorMode.SARIMA, config)
                .train(Arrays.copyOf(y, train));
        SarimaEeLstm beforeOutage = null;
        boolean spikeFlagged = false;
        for (int t = train; t < y.length; t++) {
            Detection r = d.update(y[t]);
            if (t == train + 650) {
                beforeOutage = d.current();
            }
            if (t == train + 699) {
                assertThat(d.current()).as("no refit from a window of missing values").isSameAs(beforeOutage);
            }
            spikeFlagged |= t == spikeAt && r.anomaly();
        }
        assertThat(d.current()).as("refitted once values came back").isNotSameAs(beforeOutage);
        assertThat(spikeFlagged).isTrue();
    }

    /** The tests' small network, AR order 1, refitting every 100 values on at most {@code window} of them. */
    private static HybridConfig refittingEvery100(int window) {
        HybridConfig c = SarimaEeLstmTest.CONFIG;
        return new HybridConfig(c.seqLen(), c.hiddenSize(), c.layers(), c.epochs(), c.learningRate(), c.batchSize(),
                c.seed(), 1, c.seasonalPeriod(), c.scoringWindow(), c.alarmProbability(), window, c.zScoreWindow(),
                c.alarmCooldown(), 100, c.thresholdRule());
    }
}
