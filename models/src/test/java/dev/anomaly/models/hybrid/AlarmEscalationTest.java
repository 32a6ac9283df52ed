package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The alarm cooldown holds back repeats of an event, not a larger one: inside the cooldown (30 samples in the test
 * configuration) a spike as large as the one that opened it is held back, one far larger is still an alarm, and
 * the detector restored from a snapshot taken inside the cooldown decides both the same way.
 */
class AlarmEscalationTest {
    private static final int TRAIN = SarimaEeLstmTest.TRAIN;
    private static final double SIGMA = SyntheticAnomalies.SIGMA;

    @ParameterizedTest
    @EnumSource(value = DetectorMode.class, names = {"HYBRID", "SARIMA", "LSTM"})
    void aFarLargerExceedanceInsideTheCooldownIsStillAnAlarm(DetectorMode mode) {
        int opening = TRAIN + 200;
        int repeat = opening + 8;
        int larger = opening + 16;
        double[] y = SyntheticAnomalies.clean(TRAIN + 300, 41);
        y[opening] += 8 * SIGMA;
        y[repeat] += 8 * SIGMA;
        y[larger] += 60 * SIGMA;
        FeatureModel model = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG).fit(Arrays.copyOf(y, TRAIN));
        assertThat(model.config().alarmCooldown()).isGreaterThan(larger - opening);

        SarimaEeLstm d = new SarimaEeLstm(model);
        SarimaEeLstm restored = null;
        Detection opened = null;
        for (int t = TRAIN; t < y.length; t++) {
            Detection r = d.update(y[t]);
            Detection again = restored == null ? null : restored.update(y[t]);
            if (t == opening) {
                opened = r;
                assertThat(r.anomaly()).as("the 8-sigma spike opens a cooldown").isTrue();
                restored = SarimaEeLstm.restore(model, d.snapshotState());
            } else if (t == repeat) {
                assertThat(r.mse()).as("the repeated spike exceeds the threshold").isGreaterThan(r.threshold());
                assertThat(r.anomaly()).as("a spike like the opening one is held back").isFalse();
            } else if (t == larger) {
                assertThat(r.surprise()).isGreaterThan(SarimaEeLstm.ESCALATION * opened.surprise());
                assertThat(r.anomaly()).as("a far larger spike inside the cooldown").isTrue();
            }
            if (again != null) {
                assertThat(again.anomaly()).as("restored detector at %d", t).isEqualTo(r.anomaly());
                assertThat(again.mse()).as("restored detector at %d", t).isEqualTo(r.mse());
            }
            if (t > opening && t < opening + model.config().alarmCooldown() && t != larger) {
                assertThat(r.anomaly()).as("inside the cooldown at %d", t).isFalse();
            }
        }
    }
}
