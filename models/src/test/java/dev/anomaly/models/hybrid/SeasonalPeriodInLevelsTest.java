package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.detection.OnlineDetector;
import dev.anomaly.models.sarima.SarimaOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A cycle of abrupt level changes (a daily on/off pattern) is differenced (d = 1) but shows its period only in the
 * levels: {@link SarimaEeLstmTrainer#detectPeriod} looks there when the differences show none. The reference is
 * the period the series is generated with, 288 samples (a day of 5-minute samples, as in NAB's art_daily files).
 */
class SeasonalPeriodInLevelsTest {
    private static final int DAY = 288;
    /** Two days and a bit: NAB's probation period of a 4,032-row file (15%). */
    private static final int HISTORY = 604;

    /**
     * Shaped like art_daily_nojump: low (20, noise sd 1) for the first 108 samples of each day, then high, rising
     * from 65 to 80 over 20 samples (noise sd 4.5), then a fall to 32 for 12 samples and back to 20.
     */
    static double[] dailySquareWave(int n, long seed) {
        Random r = new Random(seed);
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            int phase = t % DAY;
            if (phase >= 108 && phase < 216) {
                y[t] = 65.0 + 15.0 * Math.min(1.0, (phase - 108) / 20.0) + 4.5 * r.nextGaussian();
            } else {
                y[t] = (phase >= 216 && phase < 228 ? 32.0 : 20.0) + r.nextGaussian();
            }
        }
        return y;
    }

    @Test
    void theDailyPeriodOfASquareWaveIsFoundInItsLevels() {
        double[] y = dailySquareWave(HISTORY, 1);
        double[] differences = new double[y.length - 1];
        for (int t = 1; t < y.length; t++) {
            differences[t - 1] = y[t] - y[t - 1];
        }
        // What the trainer looked at alone before: four jumps among 600 noisy differences, no clear peak.
        assertThat(SeasonalPeriodDetector.detect(differences, HISTORY / 2)).isZero();
        assertThat(SarimaEeLstmTrainer.detectPeriod(y, 1)).isEqualTo(DAY);
    }

    @Test
    void theTrainerModelsTheDaySoItsTransitionsRaiseNoAlarms() {
        double[] y = dailySquareWave(HISTORY + 3 * DAY, 2);
        double[] history = Arrays.copyOf(y, HISTORY);
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.SARIMA, HybridConfig.defaults());
        SarimaOrder order = trainer.fitSarima(history).spec().order();
        assertThat(order.period()).isEqualTo(DAY);
        assertThat(order.seasonalD()).isEqualTo(1);

        // Three more ordinary days hold nine transitions (jumps of 12 to 48); the daily model expects them, a model
        // without the season (what the trainer fitted when it looked at the differences only) finds its error beyond
        // the threshold at them (an alarm where a nearby row confirms it, see ExceedanceConfirmation).
        assertThat(exceedancesAtTransitions(trainer, y)).isEmpty();
        HybridConfig d = HybridConfig.defaults();
        HybridConfig noSeason = new HybridConfig(d.seqLen(), d.hiddenSize(), d.layers(), d.epochs(), d.learningRate(),
                d.batchSize(), d.seed(), d.maxP(), -1, d.scoringWindow(), d.alarmProbability(),
                d.maxTrainingPoints(), d.zScoreWindow(), d.alarmCooldown(), d.retrainEvery(), d.thresholdRule(),
                d.lstmState());
        assertThat(exceedancesAtTransitions(new SarimaEeLstmTrainer(DetectorMode.SARIMA, noSeason), y))
                .hasSizeGreaterThan(2);
    }

    /**
     * The rows after the history, within 3 samples of a level change, at which a detector trained on it alarms or
     * finds its error beyond the threshold.
     */
    private static List<Integer> exceedancesAtTransitions(SarimaEeLstmTrainer trainer, double[] y) {
        OnlineDetector detector = trainer.train(Arrays.copyOf(y, HISTORY));
        List<Integer> alarms = new ArrayList<>();
        for (int t = HISTORY; t < y.length; t++) {
            int phase = t % DAY;
            boolean nearTransition = IntStream.of(108, 216, 228).anyMatch(c -> Math.abs(phase - c) <= 3);
            Detection r = detector.update(y[t]);
            if ((r.anomaly() || r.mse() > r.threshold()) && nearTransition) {
                alarms.add(t);
            }
        }
        return alarms;
    }

    @Test
    void randomWalksGetNoSeasonalModel() {
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.SARIMA, HybridConfig.defaults());
        for (long seed = 1; seed <= 10; seed++) {
            Random r = new Random(seed);
            double[] y = new double[HISTORY];
            for (int t = 1; t < y.length; t++) {
                y[t] = y[t - 1] + r.nextGaussian();
            }
            SarimaOrder order = trainer.fitSarima(y).spec().order();
            assertThat(order.seasonal()).as("seed %d: %s", seed, order).isFalse();
        }
    }
}
