package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Snapshot -> restore mid-stream continues exactly like the uninterrupted detector (what Flink state relies on). */
class SarimaEeLstmSnapshotTest {

    @ParameterizedTest
    @EnumSource(value = DetectorMode.class, names = {"HYBRID", "SARIMA", "LSTM"})
    void restoredDetectorContinuesBitForBit(DetectorMode mode) {
        restoredDetectorContinuesBitForBit(mode, LstmStateMode.WINDOW);
    }

    @ParameterizedTest
    @EnumSource(value = LstmStateMode.class, names = {"CARRIED", "STAGGERED"})
    void restoredDetectorWithCarriedLstmStateContinuesBitForBit(LstmStateMode lstmState) {
        restoredDetectorContinuesBitForBit(DetectorMode.HYBRID, lstmState);
        restoredDetectorContinuesBitForBit(DetectorMode.LSTM, lstmState);
    }

    @Test
    void stateOfAnotherLstmStateModeIsRejected() {
        double[] y = SyntheticAnomalies.clean(700, 3);
        FeatureModel window = new SarimaEeLstmTrainer(DetectorMode.HYBRID, SarimaEeLstmTest.CONFIG).fit(y);
        FeatureModel carried = new SarimaEeLstmTrainer(DetectorMode.HYBRID,
                SarimaEeLstmTest.CONFIG.withLstmState(LstmStateMode.CARRIED)).fit(y);
        byte[] state = new SarimaEeLstm(window).snapshotState();
        assertThatThrownBy(() -> SarimaEeLstm.restore(carried, state)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lstm-state window");
    }

    private static void restoredDetectorContinuesBitForBit(DetectorMode mode, LstmStateMode lstmState) {
        SyntheticAnomalies.Series s = SyntheticAnomalies.withOneAnomaly(1400, SyntheticAnomalies.Kind.values()[0],
                1000, 11);
        double[] y = s.values();
        FeatureModel model = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG.withLstmState(lstmState))
                .fit(Arrays.copyOf(y, 600));
        SarimaEeLstm uninterrupted = new SarimaEeLstm(model);
        SarimaEeLstm restarted = new SarimaEeLstm(model);
        List<Detection> expected = new ArrayList<>();
        List<Detection> actual = new ArrayList<>();
        for (int t = 600; t < y.length; t++) {
            double v = t == 900 ? Double.NaN : y[t];
            expected.add(uninterrupted.update(v));
            actual.add(restarted.update(v));
            if (t % 97 == 0) {
                // Restore through the model file bytes too, as the job does for self-trained models.
                FeatureModel reloaded = ModelFile.fromBytes(ModelFile.toBytes(new TrainedModel(Map.of("f", model),
                        Map.of("f", new TrainingRange("test", 600, "0", "600", 0.0)))), "state").feature("f");
                restarted = SarimaEeLstm.restore(reloaded, restarted.snapshotState());
            }
        }
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("detection %d", 600 + i).isEqualTo(expected.get(i));
        }
        assertThat(expected.stream().filter(Detection::anomaly)).isNotEmpty();
        if (mode != DetectorMode.LSTM) {
            assertThat(restarted.forecast(3).mean()).containsExactly(uninterrupted.forecast(3).mean());
        }
    }

    @Test
    void stateOfAnotherModelShapeIsRejected() {
        double[] y = SyntheticAnomalies.clean(700, 3);
        FeatureModel sarima = new SarimaEeLstmTrainer(DetectorMode.SARIMA, SarimaEeLstmTest.CONFIG).fit(y);
        FeatureModel lstm = new SarimaEeLstmTrainer(DetectorMode.LSTM, SarimaEeLstmTest.CONFIG).fit(y);
        byte[] state = new SarimaEeLstm(sarima).snapshotState();
        assertThatThrownBy(() -> SarimaEeLstm.restore(lstm, state)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mode lstm");
        assertThatThrownBy(() -> SarimaEeLstm.restore(sarima, Arrays.copyOf(state, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt detector state");
    }

    @Test
    void sarimaModeTrainsOnAShortWarmUp() {
        double[] y = SyntheticAnomalies.clean(SarimaEeLstmTrainer.MIN_SARIMA_VALUES, 4);
        FeatureModel m = new SarimaEeLstmTrainer(DetectorMode.SARIMA, HybridConfig.defaults()).fit(y);
        SarimaEeLstm d = new SarimaEeLstm(m);
        d.prime(y);
        Detection r = d.update(y[y.length - 1]);
        assertThat(r.warmingUp()).isFalse();
        assertThat(r.anomalyScore()).isBetween(0.0, 1.0);
        assertThat(r.threshold()).isPositive();
    }
}
