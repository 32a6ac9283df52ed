package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deferring the carried LSTM step and computing it in a batch gives exactly what the detector computes on its own:
 * every detection, forecast and the final state bytes equal those of a twin detector that is updated directly.
 */
class LstmStepBatchTest {
    private static final int SERIES = 13;
    private static final int TRAIN = SarimaEeLstmTest.TRAIN;

    @ParameterizedTest
    @EnumSource(value = DetectorMode.class, names = {"HYBRID", "LSTM"})
    void batchedStepsGiveTheDetectorsOwnResults(DetectorMode mode) {
        HybridConfig config = SarimaEeLstmTest.CONFIG.withLstmState(LstmStateMode.CARRIED);
        // Two models: series of both kinds share a batch, each model's rows go through its own network.
        FeatureModel first = new SarimaEeLstmTrainer(mode, config).keepingCorrection().fit(Arrays.copyOf(
                SyntheticAnomalies.clean(TRAIN, 21), TRAIN));
        FeatureModel second = new SarimaEeLstmTrainer(mode, config).keepingCorrection().fit(Arrays.copyOf(
                SyntheticAnomalies.clean(TRAIN, 22), TRAIN));
        List<double[]> values = new ArrayList<>();
        List<SarimaEeLstm> direct = new ArrayList<>();
        List<SarimaEeLstm> deferred = new ArrayList<>();
        for (int s = 0; s < SERIES; s++) {
            FeatureModel model = s % 3 == 0 ? second : first;
            values.add(SyntheticAnomalies.withAnomalies(500, 200, 60, 30 + s).values());
            direct.add(new SarimaEeLstm(model));
            deferred.add(new SarimaEeLstm(model));
        }
        assertThat(deferred.get(0).defersLstmStep()).isTrue();

        LstmStepBatch batch = new LstmStepBatch();
        Random rnd = new Random(5);
        int batchedSteps = 0;
        for (int t = 0; t < 500; t++) {
            for (int s = 0; s < SERIES; s++) {
                if (rnd.nextInt(10) == 0) {
                    continue; // series skip steps, so a batch holds series at different ages
                }
                double v = rnd.nextInt(50) == 0 ? Double.NaN : values.get(s)[t];
                Detection expected = direct.get(s).update(v);
                // a series still pending from an earlier step completes it on its own first
                Detection actual = deferred.get(s).updateDeferringLstmStep(v);
                assertThat(actual).as("series %d at %d", s, t).isEqualTo(expected);
                batch.add(deferred.get(s));
                batch.add(deferred.get(s)); // added twice: stepped once
            }
            if (rnd.nextInt(4) != 0) { // sometimes no run: the next update completes the step alone
                batchedSteps += batch.run();
            }
            if (mode == DetectorMode.HYBRID && t % 50 == 49) {
                int s = rnd.nextInt(SERIES);
                HybridForecast a = deferred.get(s).forecast(6);
                HybridForecast b = direct.get(s).forecast(6);
                assertThat(a.mean()).containsExactly(b.mean());
                assertThat(a.lower95()).containsExactly(b.lower95());
                assertThat(a.upper95()).containsExactly(b.upper95());
            }
        }
        batch.run();
        for (int s = 0; s < SERIES; s++) {
            assertThat(deferred.get(s).hasDeferredStep()).isFalse();
            assertThat(deferred.get(s).snapshotState()).as("state of series %d", s)
                    .isEqualTo(direct.get(s).snapshotState());
        }
        assertThat(batchedSteps).as("steps computed in batches").isGreaterThan(SERIES * 200);
    }

    @Test
    void aPendingStepIsCompletedBeforeTheStateIsSaved() {
        HybridConfig config = SarimaEeLstmTest.CONFIG.withLstmState(LstmStateMode.CARRIED);
        double[] y = SyntheticAnomalies.clean(TRAIN + 200, 23);
        FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.HYBRID, config)
                .keepingCorrection().fit(Arrays.copyOf(y, TRAIN));
        SarimaEeLstm direct = new SarimaEeLstm(model);
        SarimaEeLstm deferred = new SarimaEeLstm(model);
        for (int t = TRAIN; t < y.length; t++) {
            direct.update(y[t]);
            deferred.updateDeferringLstmStep(y[t]);
        }
        assertThat(deferred.hasDeferredStep()).isTrue();
        byte[] saved = deferred.snapshotState();
        assertThat(deferred.hasDeferredStep()).isFalse();
        assertThat(saved).isEqualTo(direct.snapshotState());
        // the batch skips a detector whose step is done
        LstmStepBatch batch = new LstmStepBatch();
        batch.add(deferred);
        assertThat(batch.size()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = LstmStateMode.class, names = {"WINDOW", "STAGGERED"})
    void modesWithoutOneCarriedStateStepAtOnce(LstmStateMode lstmState) {
        double[] y = SyntheticAnomalies.clean(TRAIN + 100, 24);
        FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.HYBRID,
                SarimaEeLstmTest.CONFIG.withLstmState(lstmState)).keepingCorrection().fit(Arrays.copyOf(y, TRAIN));
        SarimaEeLstm direct = new SarimaEeLstm(model);
        SarimaEeLstm deferred = new SarimaEeLstm(model);
        assertThat(deferred.defersLstmStep()).isFalse();
        for (int t = TRAIN; t < y.length; t++) {
            assertThat(deferred.updateDeferringLstmStep(y[t])).isEqualTo(direct.update(y[t]));
            assertThat(deferred.hasDeferredStep()).isFalse();
        }
    }

    @Test
    void theSarimaModeHasNoLstmStepToDefer() {
        double[] y = SyntheticAnomalies.clean(TRAIN + 100, 25);
        FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.SARIMA, SarimaEeLstmTest.CONFIG)
                .fit(Arrays.copyOf(y, TRAIN));
        SarimaEeLstm d = new SarimaEeLstm(model);
        assertThat(d.defersLstmStep()).isFalse();
        d.updateDeferringLstmStep(y[TRAIN]);
        assertThat(d.hasDeferredStep()).isFalse();
    }
}
