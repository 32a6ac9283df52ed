package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A value outside the seen range by more than 5% of it is an anomaly, whatever the model's error says: the
 * calibrated threshold is pinned out of reach here (a fixed THRESHOLDS value), so every alarm is the range's.
 */
class ValueRangeAnomalyTest {
    private static final int TRAIN = SarimaEeLstmTest.TRAIN;

    private static SarimaEeLstm detector(DetectorMode mode, double[] y) {
        FeatureModel model = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG).fit(Arrays.copyOf(y, TRAIN))
                .withThreshold(1e300);
        return new SarimaEeLstm(model);
    }

    @ParameterizedTest
    @EnumSource(value = DetectorMode.class, names = {"HYBRID", "SARIMA", "LSTM"})
    void aValueBeyondTheSeenRangeByMoreThanTheToleranceIsAnAnomaly(DetectorMode mode) {
        double[] y = SyntheticAnomalies.clean(TRAIN + 400, 31);
        SarimaEeLstm d = detector(mode, y);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int t = TRAIN; t < TRAIN + 300; t++) {
            Detection r = d.update(y[t]);
            if (t - TRAIN >= SarimaEeLstm.RANGE_MIN_VALUES) {
                boolean outside = y[t] > max + 0.05 * (max - min) || y[t] < min - 0.05 * (max - min);
                assertThat(r.anomaly()).as("value %d (%s)", t, outside ? "outside" : "inside").isEqualTo(outside);
            } else {
                assertThat(r.anomaly()).as("value %d: the range is still being learnt", t).isFalse();
            }
            min = Math.min(min, y[t]);
            max = Math.max(max, y[t]);
        }
        double range = max - min;
        Detection within = d.update(max + 0.04 * range);
        assertThat(within.anomaly()).isFalse();
        Detection beyond = d.update(max + 0.2 * range);
        assertThat(beyond.anomaly()).isTrue();
        assertThat(beyond.anomalyScore()).isGreaterThanOrEqualTo(1.0 - SarimaEeLstmTest.CONFIG.alarmProbability());
        assertThat(d.update(Double.NaN).anomaly()).as("a missing value is never out of range").isFalse();
    }

    @Test
    void theRangeSurvivesASnapshotAndAFormatThreeStateStartsANewOne() {
        double[] y = SyntheticAnomalies.clean(TRAIN + 300, 32);
        SarimaEeLstm d = detector(DetectorMode.HYBRID, y);
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int t = TRAIN; t < TRAIN + 200; t++) {
            d.update(y[t]);
            max = Math.max(max, y[t]);
            min = Math.min(min, y[t]);
        }
        byte[] state = d.snapshotState();
        assertThat(ByteBuffer.wrap(state).getInt()).isEqualTo(7);
        double jump = max + 0.5 * (max - min);
        assertThat(SarimaEeLstm.restore(d.model(), state).update(jump).anomaly()).as("restored range").isTrue();

        // Format 4 appended the range (two doubles and an int) to format 3, format 5 the calibration block's rows
        // (one byte before the tail fit's four doubles u, beta, xi and the fixed threshold), format 6 the last
        // alarm's surprise and the drift CUSUM (after the range), format 7 the last two rows' surprises (two doubles,
        // at the end): the same bytes without all of them, marked 3, are a format-3 state. It restores with an empty
        // range, so the jump is not (yet) a range anomaly.
        int tail6 = 8 + d.driftStateBytes() + 2 * 8;
        int rowsByte = state.length - tail6 - 20 - 4 * 8 - 1;
        byte[] v3 = new byte[state.length - tail6 - 21];
        System.arraycopy(state, 0, v3, 0, rowsByte);
        System.arraycopy(state, rowsByte + 1, v3, rowsByte, v3.length - rowsByte);
        ByteBuffer.wrap(v3).putInt(0, 3);
        SarimaEeLstm old = SarimaEeLstm.restore(d.model(), v3);
        assertThat(old.update(jump).anomaly()).isFalse();
        assertThat(old.threshold()).isEqualTo(d.threshold());
    }
}
