package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Re-estimation as the history grows ({@link ReestimationSchedule}, {@link SarimaEeLstm#reestimated},
 * {@link RetrainingDetector}): when it is due, what the new model learns, and that the detector's online state goes
 * on across it.
 */
class ReestimationTest {
    private static final int DAY = 288;

    @Test
    void theScheduleDoublesTheHistoryUpToItsLimit() {
        ReestimationSchedule s = new ReestimationSchedule(4000);
        List<Integer> due = new ArrayList<>();
        for (int n = s.after(120); n > 0; n = s.after(n)) {
            due.add(n);
        }
        assertThat(due).containsExactly(240, 480, 960, 1920, 3840);
        assertThat(s.after(2000)).isEqualTo(4000);
        assertThat(s.after(2001)).isZero();
        assertThat(ReestimationSchedule.NEVER.after(120)).isZero();
        assertThat(ReestimationSchedule.NEVER.enabled()).isFalse();
        assertThatThrownBy(() -> new ReestimationSchedule(-1)).hasMessageContaining(">= 0");
    }

    /**
     * Re-estimating with the very same model must give exactly the detector that never stopped: the rebuilt filter,
     * windows and LSTM state from running the history again, and the calibration, drift CUSUM, confirmation,
     * cooldown and range carried on. The split is put just after an alarm, inside its cooldown, with a second spike
     * inside that cooldown, so a detector that restarted any of those would decide differently.
     */
    @Test
    void reestimatingWithTheSameModelChangesNoDecision() {
        HybridConfig c = SarimaEeLstmTest.CONFIG;
        double[] y = SyntheticAnomalies.clean(SarimaEeLstmTest.TRAIN + 600, 5);
        int split = SarimaEeLstmTest.TRAIN + 300;
        y[split - 3] += 10 * SyntheticAnomalies.SIGMA;
        y[split + 5] += 6 * SyntheticAnomalies.SIGMA;
        y[split + 200] += 10 * SyntheticAnomalies.SIGMA;
        for (DetectorMode mode : new DetectorMode[] {DetectorMode.HYBRID, DetectorMode.SARIMA, DetectorMode.LSTM}) {
            SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(mode, c).keepingCorrection();
            FeatureModel model = trainer.fit(Arrays.copyOf(y, SarimaEeLstmTest.TRAIN));
            SarimaEeLstm uninterrupted = new SarimaEeLstm(model);
            uninterrupted.prime(Arrays.copyOf(y, SarimaEeLstmTest.TRAIN));
            boolean alarmBeforeSplit = false;
            for (int t = SarimaEeLstmTest.TRAIN; t < split; t++) {
                boolean alarm = uninterrupted.update(y[t]).anomaly();
                alarmBeforeSplit |= alarm && t >= split - c.alarmCooldown();
            }
            assertThat(alarmBeforeSplit).as("%s: an alarm opens a cooldown across the split", mode).isTrue();
            SarimaEeLstm copy = SarimaEeLstm.restore(model, uninterrupted.snapshotState());
            SarimaEeLstm reestimated = uninterrupted.reestimated(model, Arrays.copyOf(y, split));
            int alarms = 0;
            for (int t = split; t < y.length; t++) {
                Detection a = copy.update(y[t]);
                Detection b = reestimated.update(y[t]);
                assertThat(b).as("%s, row %d", mode, t).isEqualTo(a);
                alarms += a.anomaly() ? 1 : 0;
            }
            assertThat(alarms).as("%s: the later spike is still an alarm", mode).isPositive();
        }
    }

    /**
     * A new series of a daily square wave trained on its first 120 values cannot see the day (288 values): its
     * model is estimated again at 240, 480 and 960 values, and the last of these, with more than three days of
     * history, finds the daily period that generated the series. Over the next three ordinary days the
     * re-estimated detector then predicts the daily level changes, which the detector trained once misses.
     */
    @Test
    void aModelTrainedOnLittleHistoryLearnsTheDayOnceItsHistoryShowsIt() {
        double[] y = SeasonalPeriodInLevelsTest.dailySquareWave(960 + 3 * DAY, 3);
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.SARIMA, HybridConfig.defaults());
        double[] first = Arrays.copyOf(y, 120);
        RetrainingDetector reestimating = (RetrainingDetector) trainer
                .reestimatingOn(new ReestimationSchedule(1000)).train(first);
        var once = trainer.train(first);
        assertThat(reestimating.current().model().sarima().spec().order().period()).isNotEqualTo(DAY);

        List<Integer> estimatedAt = new ArrayList<>();
        double squaresReestimated = 0; // squared one-step errors at the level changes after row 960
        double squaresOnce = 0;
        for (int t = 120; t < y.length; t++) {
            SarimaEeLstm before = reestimating.current();
            double a = reestimating.update(y[t]).prediction() - y[t];
            double b = once.update(y[t]).prediction() - y[t];
            if (reestimating.current() != before) {
                estimatedAt.add(t + 1);
            }
            if (t >= 960 && atTransition(t)) {
                squaresReestimated += a * a;
                squaresOnce += b * b;
            }
        }
        assertThat(estimatedAt).containsExactly(240, 480, 960);
        assertThat(reestimating.current().model().sarima().spec().order().period()).isEqualTo(DAY);
        // At the 36 rows just after a level change of the next three days: the seasonal model's squared errors are
        // those of the noise (sd 1 to 4.5, doubled by the seasonal difference); the model without the day misses
        // jumps of 12 to 48 there.
        assertThat(squaresReestimated).isLessThan(0.1 * squaresOnce);
    }

    /**
     * A series whose first 120 values were quiet (sd 0.01) and whose values since vary a hundred times as much: the
     * first model's errors on the livelier rows are ~10^4 in its units, and they stay in the calibration for 4,096
     * rows. Each re-estimation (240, 480, 960 values) carries them over in its model's units, which grow as the
     * quiet start weighs less in the history, so that once the model has learned the livelier series a spike of 10
     * standard deviations is an exceedance of the calibrated tail and the ordinary rows are not. Carried in the
     * first model's units, the tail sits far too high and the spike's error is no exceedance (it would still be an
     * alarm, through the value range, which is why the test looks at the error path's exceedances).
     */
    @Test
    void theCalibrationIsCarriedInTheUnitsOfTheReestimatedModel() {
        java.util.Random rnd = new java.util.Random(14);
        double[] y = new double[1300];
        for (int t = 0; t < y.length; t++) {
            y[t] = 50 + rnd.nextGaussian() * (t < 120 ? 0.01 : 1.0);
        }
        int spike = 1150;
        y[spike] += 10;
        for (DetectorMode mode : new DetectorMode[] {DetectorMode.SARIMA, DetectorMode.HYBRID, DetectorMode.LSTM}) {
            SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(mode, HybridConfig.defaults());
            RetrainingDetector d = (RetrainingDetector) trainer.reestimatingOn(new ReestimationSchedule(1000))
                    .train(Arrays.copyOf(y, 120));
            double quietUnit = d.current().model().errorUnit();
            List<Integer> exceedances = new ArrayList<>();
            for (int t = 120; t < y.length; t++) {
                Detection r = d.update(y[t]);
                if (t >= 1000 && r.mse() > r.threshold()) {
                    exceedances.add(t);
                }
            }
            assertThat(d.current().model().errorUnit()).as("%s: unit after the re-estimation at 960", mode)
                    .isGreaterThan(30 * quietUnit);
            // Rows 120-959 are the change itself and the models of a mixed history; from 1,000 on, only the spike
            // (and in a model with memory, its echo on the next rows) exceeds the tail.
            assertThat(exceedances).as("%s: exceedances from row 1000 on", mode).contains(spike)
                    .allMatch(t -> t >= spike && t <= spike + 2);
        }
    }

    /** Whether row {@code t} is within 3 rows after one of the square wave's four level changes of a day. */
    private static boolean atTransition(int t) {
        int phase = t % DAY;
        for (int change : new int[] {0, 108, 216, 228}) {
            if (phase >= change && phase < change + 3) {
                return true;
            }
        }
        return false;
    }
}
