package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.detection.OnlineDetector;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A series that was constant for longer than the re-estimation schedule reaches (an idle disk, an error rate of 0)
 * and then becomes active. Its model fits the constant exactly and knows no noise: before, every later error lay
 * beyond what the calibration can hold, the detector alarmed about 50 times per 1,000 rows for good, and it predicted
 * the old constant. Now the first departure alarms and the series is trained again from it, so the active series is
 * scored like any other: at the calibrated rate of about one false alarm per 1,000 rows of Gaussian noise.
 */
class ExactFitDepartureTest {
    private static final int TRAIN = 120;
    /** Constant until here: beyond the schedule's last re-estimation (3,840 values), so none of them sees a change. */
    private static final int ACTIVE_FROM = 5000;
    private static final int N = ACTIVE_FROM + 6000;
    private static final double LEVEL = 40.0;

    /**
     * A gauge that sits at 1.7e9 and moves by an ulp (2.4e-7) is constant within the perfect-fit tolerance of its
     * level, so its model is exact; the same jitter later is no departure (before, the floor of 1e-9 made every jitter
     * one: the series alarmed and restarted again and again). A real change of 5 still is.
     */
    @ParameterizedTest
    @CsvSource({"SARIMA", "HYBRID"})
    void theJitterAnExactWindowHadIsNoDeparture(DetectorMode mode) {
        double level = 1.7e9;
        double ulp = Math.ulp(level);
        double[] y = new double[TRAIN + 3000];
        Random r = new Random(2);
        for (int t = 0; t < y.length; t++) {
            y[t] = level + ulp * (r.nextInt(3) - 1);
        }
        int changeAt = TRAIN + 2500;
        for (int t = changeAt; t < y.length; t++) {
            y[t] += 5;
        }
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG);
        FeatureModel model = trainer.fit(Arrays.copyOf(y, TRAIN));
        assertThat(trainer.fitsExactly(model, Arrays.copyOf(y, TRAIN))).isTrue();
        RetrainingDetector d = (RetrainingDetector) trainer.reestimatingOn(new ReestimationSchedule(240))
                .train(Arrays.copyOf(y, TRAIN));
        SarimaEeLstm settled = null;
        for (int t = TRAIN; t < changeAt; t++) {
            assertThat(d.update(y[t]).anomaly()).as("row %d", t).isFalse();
            if (t == 2 * 240) {
                settled = d.current();
            }
        }
        assertThat(d.current()).as("no training afresh on the jitter").isSameAs(settled);
        assertThat(d.update(y[changeAt]).anomaly()).as("the change of 5").isTrue();
    }

    @ParameterizedTest
    @CsvSource({"SARIMA, 0", "SARIMA, 250", "HYBRID, 0", "HYBRID, 250"})
    void aConstantSeriesThatBecomesActiveIsTrainedAgainFromItsFirstDeparture(DetectorMode mode, double idle) {
        double[] y = new double[N];
        Random r = new Random(17);
        for (int t = 0; t < N; t++) {
            y[t] = t < ACTIVE_FROM ? idle : LEVEL + r.nextGaussian();
        }
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG);
        assertThat(trainer.fitsExactly(trainer.fit(Arrays.copyOf(y, TRAIN)), Arrays.copyOf(y, TRAIN)))
                .as("a constant history is fitted exactly").isTrue();
        OnlineDetector d = trainer.reestimatingOn(new ReestimationSchedule(4000)).train(Arrays.copyOf(y, TRAIN));
        assertTrainedAgainFromTheDeparture(d, y, TRAIN, "constant", "Gaussian noise", t -> LEVEL);
    }

    /**
     * A ramp far above its step (a counter at 1e6 or 1e8 growing 0.1 a sample) differences to 0.1 give or take the
     * rounding of its level (about 1e-10 and 1e-8). It is fitted exactly (before, the estimator took that rounding for
     * noise and fitted an ARMA model to it, which no departure could restart), raises nothing while it stays a ramp,
     * and a change into noise alarms and trains it again like any exact series.
     */
    @ParameterizedTest
    @CsvSource({"SARIMA, 1e6", "SARIMA, 1e8", "HYBRID, 1e6"})
    void aRampFarAboveItsStepIsFittedExactlyAndTrainedAgainWhenItDeparts(DetectorMode mode, double level) {
        int train = 600; // enough for the lag-1 autocorrelation of a ramp to call for differencing (120 are not)
        double[] y = new double[N];
        Random r = new Random(29);
        for (int t = 0; t < N; t++) {
            y[t] = level + 0.1 * t + (t < ACTIVE_FROM ? 0.0 : r.nextGaussian());
        }
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG);
        double[] history = Arrays.copyOf(y, train);
        FeatureModel model = trainer.fit(history);
        assertThat(model.sarima().spec().order().d()).isEqualTo(1);
        assertThat(trainer.fitsExactly(model, history)).as("the ramp is fitted exactly").isTrue();
        OnlineDetector d = trainer.reestimatingOn(new ReestimationSchedule(4000)).train(history);
        assertTrainedAgainFromTheDeparture(d, y, train, "a ramp", "a ramp plus Gaussian noise",
                t -> level + 0.1 * t);
    }

    /**
     * Runs {@code d}, trained on the first {@code train} values, over the rest of {@code y}: no alarm while the
     * series keeps its exact pattern (before {@link #ACTIVE_FROM}), an alarm at the departure, then, once the series
     * is trained again (from 2 x {@code train} rows after the departure), at most 15 alarms and predictions within
     * 1.5 on average of {@code active}, the series without its noise.
     */
    private static void assertTrainedAgainFromTheDeparture(OnlineDetector d, double[] y, int train, String pattern,
                                                           String activeSeries, IntToDoubleFunction active) {
        int patternAlarms = 0;
        int activeAlarms = 0;
        double predictionError = 0;
        boolean departureAlarmed = false;
        int from = ACTIVE_FROM + 2 * train;
        for (int t = train; t < N; t++) {
            Detection det = d.update(y[t]);
            if (t < ACTIVE_FROM) {
                patternAlarms += det.anomaly() ? 1 : 0;
            } else if (t == ACTIVE_FROM) {
                departureAlarmed = det.anomaly();
            } else if (t >= from) {
                activeAlarms += det.anomaly() ? 1 : 0;
                predictionError += Math.abs(det.prediction() - active.applyAsDouble(t));
            }
        }
        assertThat(patternAlarms).as("alarms while the series is %s", pattern).isZero();
        assertThat(departureAlarmed).as("the departure from %s is an alarm", pattern).isTrue();
        assertThat(activeAlarms).as("alarms in %d rows of %s after the departure", N - from, activeSeries)
                .isLessThanOrEqualTo(15);
        assertThat(predictionError / (N - from)).as("mean distance of the prediction from %s", activeSeries)
                .isLessThan(1.5);
    }

    /**
     * Far above zero, real variation is still variation: a ramp at 1e9 with one glitch of 0.015 in its history, and a
     * byte counter near 1e15 growing 1e6 +- 500 a row, get fitted models with their own noise, neither the perfect-fit
     * model nor a flat level (the rounding the estimator ignores is a few ulps of the level, not 1e-12 of it).
     */
    @ParameterizedTest
    @CsvSource({"1e9, 0.1, 0.0, 0.015", "1e15, 1e6, 500, 0"})
    void realVariationFarAboveZeroIsNotConstant(double level, double step, double noise, double glitch) {
        int train = 600;
        Random r = new Random(31);
        double[] y = new double[train];
        for (int t = 0; t < train; t++) {
            y[t] = level + step * t + noise * r.nextGaussian();
        }
        y[300] += glitch;
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.SARIMA, SarimaEeLstmTest.CONFIG);
        FeatureModel model = trainer.fit(y);
        assertThat(trainer.fitsExactly(model, y)).isFalse();
        assertThat(model.sarima().spec().order().d()).as("the ramp is differenced").isGreaterThanOrEqualTo(1);
        double sd = Math.sqrt(model.sarima().params().sigma2());
        double expected = noise > 0 ? noise : glitch / Math.sqrt(train);
        assertThat(sd).as("one-step standard deviation, of the order of the real variation")
                .isBetween(expected / 10, expected * 10);
    }

    /**
     * After the departure the series goes missing for a while: the training afresh finds too few finite values when
     * it falls due, past the schedule's last estimation, and is tried again later instead of never.
     */
    @ParameterizedTest
    @CsvSource({"SARIMA", "HYBRID"})
    void aTrainingAfreshDueInAnOutageIsTriedAgainAfterIt(DetectorMode mode) {
        double[] y = new double[N];
        Random r = new Random(23);
        for (int t = ACTIVE_FROM; t < N; t++) {
            y[t] = t > ACTIVE_FROM && t <= ACTIVE_FROM + 3 * TRAIN ? Double.NaN : LEVEL + r.nextGaussian();
        }
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG);
        OnlineDetector d = trainer.reestimatingOn(new ReestimationSchedule(200)).train(Arrays.copyOf(y, TRAIN));
        int activeAlarms = 0;
        double predictionError = 0;
        int from = ACTIVE_FROM + 6 * TRAIN;
        for (int t = TRAIN; t < N; t++) {
            Detection det = d.update(y[t]);
            if (t >= from) {
                activeAlarms += det.anomaly() ? 1 : 0;
                predictionError += Math.abs(det.prediction() - LEVEL);
            }
        }
        assertThat(activeAlarms).as("alarms in %d rows of Gaussian noise after the outage", N - from)
                .isLessThanOrEqualTo(15);
        assertThat(predictionError / (N - from)).isLessThan(1.5);
    }

    /**
     * A ramp of 0.1 a step from 0 is fitted exactly, and the rounding of its predictions is no departure, even where the
     * calibration's threshold is 0 (the quantile rules over the exact model's training errors, all 0): the detector
     * keeps its model, and under the default tail rule raises nothing.
     */
    @ParameterizedTest
    @CsvSource({"TAIL", "QUANTILE", "MEAN_K_SIGMA"})
    void theRoundingOfAnExactRampIsNoDeparture(ThresholdRule rule) {
        HybridConfig c = SarimaEeLstmTest.CONFIG;
        HybridConfig config = new HybridConfig(c.seqLen(), c.hiddenSize(), c.layers(), c.epochs(), c.learningRate(),
                c.batchSize(), c.seed(), c.maxP(), c.seasonalPeriod(), c.scoringWindow(), c.alarmProbability(),
                c.maxTrainingPoints(), c.zScoreWindow(), c.alarmCooldown(), c.retrainEvery(), rule, c.lstmState());
        double[] y = new double[3000];
        for (int t = 0; t < y.length; t++) {
            y[t] = 0.1 * t;
        }
        // 600 values: enough for the lag-1 autocorrelation of a ramp to call for differencing (120 are not)
        int train = 600;
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.SARIMA, config);
        assertThat(trainer.fitsExactly(trainer.fit(Arrays.copyOf(y, train)), Arrays.copyOf(y, train))).isTrue();
        RetrainingDetector d = (RetrainingDetector) trainer.reestimatingOn(new ReestimationSchedule(2 * train))
                .train(Arrays.copyOf(y, train));
        SarimaEeLstm last = null;
        for (int t = train; t < y.length; t++) {
            boolean anomaly = d.update(y[t]).anomaly();
            if (rule == ThresholdRule.TAIL) { // the quantile rules' threshold over all-0 training errors is 0
                assertThat(anomaly).as("row %d", t).isFalse();
            }
            if (t == 2 * train) {
                last = d.current();
            }
        }
        assertThat(d.current()).as("no training afresh after the last scheduled estimation").isSameAs(last);
    }

    @ParameterizedTest
    @CsvSource({"SARIMA", "HYBRID"})
    void aModelOfANoisyHistoryIsNotExact(DetectorMode mode) {
        double[] y = SyntheticAnomalies.clean(SarimaEeLstmTest.TRAIN, 3);
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG);
        assertThat(trainer.fitsExactly(trainer.fit(y), y)).isFalse();
    }

    /**
     * A gauge at 1.7e9 that moves by about 0.1 is constant within 1e-9 of its level (the perfect-fit test's tolerance)
     * but not within the estimator's 1e-12: it gets a fitted model with its real noise, which is not exact, so its
     * ordinary exceedances never restart it.
     */
    @ParameterizedTest
    @CsvSource({"SARIMA", "HYBRID"})
    void aNoisyGaugeAtALargeLevelIsNotExact(DetectorMode mode) {
        Random r = new Random(8);
        double[] y = new double[TRAIN];
        for (int t = 0; t < y.length; t++) {
            y[t] = 1.7e9 + 0.1 * r.nextGaussian();
        }
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG);
        FeatureModel model = trainer.fit(y);
        assertThat(model.sarima().params().sigma2()).as("the fitted noise").isGreaterThan(1e-3);
        assertThat(SarimaEeLstmTrainer.perfectFit(y, model.sarima().spec().order()))
                .as("within the perfect-fit tolerance of the level").isNotNull();
        assertThat(trainer.fitsExactly(model, y)).isFalse();
    }
}
