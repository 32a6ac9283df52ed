package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RetrainingDetectorTest {

    @Test
    void refitsEveryIntervalFromPastValuesAndKeepsDetecting() {
        HybridConfig c = SarimaEeLstmTest.CONFIG;
        HybridConfig config = new HybridConfig(c.seqLen(), c.hiddenSize(), c.layers(), c.epochs(), c.learningRate(),
                c.batchSize(), c.seed(), 1, c.seasonalPeriod(), c.scoringWindow(), c.alarmProbability(), 800,
                c.zScoreWindow(), c.alarmCooldown(), 100, c.thresholdRule());
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
}
