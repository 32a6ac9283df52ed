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
        FeatureModel window = new SarimaEeLstmTrainer(DetectorMode.HYBRID, SarimaEeLstmTest.CONFIG)
                .keepingCorrection().fit(y);
        FeatureModel carried = new SarimaEeLstmTrainer(DetectorMode.HYBRID,
                SarimaEeLstmTest.CONFIG.withLstmState(LstmStateMode.CARRIED)).keepingCorrection().fit(y);
        byte[] state = new SarimaEeLstm(window).snapshotState();
        assertThatThrownBy(() -> SarimaEeLstm.restore(carried, state)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lstm-state window");
    }

    private static void restoredDetectorContinuesBitForBit(DetectorMode mode, LstmStateMode lstmState) {
        SyntheticAnomalies.Series s = SyntheticAnomalies.withOneAnomaly(1400, SyntheticAnomalies.Kind.values()[0],
                1000, 11);
        double[] y = s.values();
        FeatureModel model = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG.withLstmState(lstmState))
                .keepingCorrection().fit(Arrays.copyOf(y, 600));
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

    /**
     * A state of format 2 (the 4,096-value ring), written by the code before the compact calibration
     * (V2StateFixtureGenerator at 049c8b5), restores: the next 600 values give that code's MSEs exactly, its
     * threshold exactly until the first refresh, and its decisions on every value but a lone exceedance. After the
     * first refresh the threshold is at most that code's and at least 80% of it: the fixture's window holds
     * 40-sample anomalies, and the blocks keep at most 8 of a burst's values (a lower tail; 91.2 against 109.9
     * here). Decisions as in
     * {@link StateFixture#assertDecisions} (the drift CUSUM starts afresh).
     */
    @Test
    void formatTwoStateRestoresAndContinues() throws Exception {
        StateFixture fixture = StateFixture.load("v2");
        FeatureModel model = fixture.model();
        SarimaEeLstm d = fixture.restored();
        List<String> rows = fixture.rows();
        double firstThreshold = Double.parseDouble(rows.get(0).split(",")[2]);
        List<Detection> continued = new java.util.ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            double threshold = Double.parseDouble(f[2]);
            Detection r = d.update(Double.parseDouble(f[0]));
            assertThat(r.mse()).as("mse %d", i).isEqualTo(Double.parseDouble(f[1]));
            if (threshold == firstThreshold) {
                assertThat(r.threshold()).as("threshold %d", i).isEqualTo(threshold);
            } else {
                assertThat(r.threshold()).as("threshold %d", i).isBetween(0.8 * threshold, threshold);
            }
            continued.add(r);
        }
        fixture.assertDecisions(continued, StateFixture.DRIFT_ARMED);
        assertThat(fixture.earlierAlarms()).containsExactly(100);
        assertThat(continued.get(100).anomaly()).as("its one alarm, a lone exceedance by 1.5%").isFalse();
        assertThat(SarimaEeLstm.restore(model, d.snapshotState()).threshold()).isEqualTo(d.threshold());
    }

    /**
     * A state of format 4 (before the calibration blocks counted rows), written by the code of d9b09ff
     * (V4StateFixtureGenerator at 57ec758), restores and continues exactly as that code did: the same MSE and
     * threshold on each of the next 600 values, and its decisions as {@link StateFixture#assertDecisions} says. Its
     * block being filled spans its 57 errors, which is what that code counted, so the refreshes come at the same
     * rows.
     */
    @Test
    void formatFourStateRestoresAndContinuesExactly() throws Exception {
        StateFixture fixture = StateFixture.load("v4");
        List<Detection> continued = fixture.continuesExactly(StateFixture.DRIFT_ARMED);
        assertThat(fixture.earlierAlarms()).containsExactly(63);
        assertThat(continued.get(63).anomaly()).as("its one alarm, a lone exceedance by 20%").isFalse();
        assertThat(continued.stream().map(Detection::threshold).distinct()).hasSizeGreaterThan(5);
    }

    /**
     * A state of format 5 (before an exceedance far larger than the alarm that opened the cooldown was let through),
     * written by the code of 08d66fa (V5StateFixtureGenerator at d2e86b8) 10 rows after an alarm, restores and
     * continues exactly as that code did: the same MSE and threshold on each of the next 600 values, and the same
     * decisions until its fresh drift CUSUM is armed ({@link StateFixture#assertDecisions}). It holds no record of
     * the opening alarm's surprise, so its open cooldown holds back the spike 8 rows later (MSE
     * 7,505 against a threshold of 69), as that code did.
     */
    @Test
    void formatFiveStateRestoresAndContinuesExactly() throws Exception {
        List<Detection> continued = StateFixture.load("v5").continuesExactly(StateFixture.DRIFT_ARMED);
        assertThat(continued.get(7).mse()).isGreaterThan(100 * continued.get(7).threshold());
        assertThat(continued.get(7).anomaly()).isFalse();
    }

    /**
     * A state of format 6 (before exceedances needed a confirmation), written by the code of 8b9e283
     * (V6StateFixtureGenerator, not kept) 200 rows after the first alarm past 4,000 updates, restores and continues
     * exactly as that code did: the same MSE and threshold on each of the next 600 values, and every decision as
     * {@link StateFixture#assertDecisions} says (the state holds the drift CUSUM, whose alarm at row 517 comes at the
     * same row). The inputs were raised by 5 at rows 0 and 150, by 3 at row 151 and by 40 at row 300. The state
     * holds no surprises of the rows before it, so nothing before row 0 can confirm its exceedance.
     */
    @Test
    void formatSixStateRestoresAndContinuesExactly() throws Exception {
        StateFixture fixture = StateFixture.load("v6");
        List<Detection> continued = fixture.continuesExactly(0);
        assertThat(fixture.earlierAlarms()).containsExactly(0, 150, 300, 517);
        assertThat(continued.get(517).anomaly()).as("the drift CUSUM's alarm").isTrue();
        assertThat(continued.get(300).anomaly()).as("a spike 100 times the threshold").isTrue();
    }

    /**
     * A detector-state fixture written by an earlier build: its model, the detector restored from its state, and the
     * 600 continuation rows (value, that build's MSE, threshold and decision) of {@code <prefix>-continuation.csv}.
     */
    private record StateFixture(FeatureModel model, SarimaEeLstm restored, List<String> rows) {
        /**
         * Rows after which the drift CUSUM of a state older than format 6 (started afresh, with an empty
         * calibration) is armed: one innovation in {@link DriftCusum#SAMPLE_EVERY} is sampled, and it needs a block.
         */
        static final int DRIFT_ARMED = (BlockTailWindow.BLOCK - 1) * DriftCusum.SAMPLE_EVERY + 1;

        /**
         * The earlier build's decisions under format 7's rule ({@link ExceedanceConfirmation}; at the fixtures' alarm
         * probability 10^-3 an exceedance is an alarm at once if its surprise is 4 or more or a row among the two
         * before it reached 2, else at the first of the next two rows that reaches 2, else never). Each row the
         * earlier build flagged for an exceedance is expected where that rule puts it; a row it flagged for another
         * reason (range, drift) stays where it was. Every decision is checked until {@code checkedUntil} (all rows
         * where the state holds the drift CUSUM; older states start a fresh one, so until {@link #DRIFT_ARMED}), except
         * within the cooldown that an alarm which moves or goes had opened: there, and after {@code checkedUntil},
         * each row expected is still flagged, and any other row flagged may only be a range or drift alarm (its error
         * below the threshold) that the earlier build's cooldown held back or its fresh CUSUM raised.
         */
        void assertDecisions(List<Detection> continued, int checkedUntil) {
            double level = -Math.log10(model.config().alarmProbability());
            double margin = ExceedanceConfirmation.MARGIN;
            java.util.Set<Integer> expected = new java.util.HashSet<>();
            boolean[] released = new boolean[continued.size()];
            for (int i : earlierAlarms()) {
                Detection r = continued.get(i);
                if (!(r.mse() > r.threshold()) || r.surprise() >= level + margin
                        || (i >= 1 && continued.get(i - 1).surprise() >= level - margin)
                        || (i >= 2 && continued.get(i - 2).surprise() >= level - margin)) {
                    expected.add(i);
                    continue;
                }
                java.util.Arrays.fill(released, i, Math.min(released.length, i + model.config().alarmCooldown() + 1),
                        true);
                for (int j = i + 1; j <= Math.min(i + 2, continued.size() - 1); j++) {
                    if (continued.get(j).surprise() >= level - margin) {
                        expected.add(j);
                        break;
                    }
                }
            }
            for (int i = 0; i < continued.size(); i++) {
                Detection r = continued.get(i);
                if ((i < checkedUntil && !released[i]) || expected.contains(i)) {
                    assertThat(r.anomaly()).as("decision %d", i).isEqualTo(expected.contains(i));
                } else if (r.anomaly()) {
                    assertThat(r.mse()).as("row %d flagged by the drift CUSUM only", i)
                            .isLessThanOrEqualTo(r.threshold());
                }
            }
        }

        /** The rows the earlier build flagged. */
        List<Integer> earlierAlarms() {
            return java.util.stream.IntStream.range(0, rows.size())
                    .filter(i -> Boolean.parseBoolean(rows.get(i).split(",")[3])).boxed().toList();
        }

        static StateFixture load(String prefix) throws java.io.IOException {
            FeatureModel model = ModelFile.fromBytes(resource(prefix + "-model.bin"), "fixture").feature("f");
            SarimaEeLstm restored = SarimaEeLstm.restore(model, resource(prefix + "-state.bin"));
            List<String> rows = new String(resource(prefix + "-continuation.csv"),
                    java.nio.charset.StandardCharsets.UTF_8).lines().skip(1).toList();
            assertThat(rows).hasSize(600);
            return new StateFixture(model, restored, rows);
        }

        /**
         * Runs the restored detector over the rows, checking that build's MSE and threshold on each, and its
         * decisions as {@link #assertDecisions} says, all of them until {@code checkedUntil}.
         */
        List<Detection> continuesExactly(int checkedUntil) {
            List<Detection> out = new java.util.ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                String[] f = rows.get(i).split(",");
                Detection r = restored.update(Double.parseDouble(f[0]));
                assertThat(r.mse()).as("mse %d", i).isEqualTo(Double.parseDouble(f[1]));
                assertThat(r.threshold()).as("threshold %d", i).isEqualTo(Double.parseDouble(f[2]));
                out.add(r);
            }
            assertDecisions(out, checkedUntil);
            return out;
        }
    }

    private static byte[] resource(String name) throws java.io.IOException {
        try (java.io.InputStream in = SarimaEeLstmSnapshotTest.class.getResourceAsStream("/detector-state/" + name)) {
            return in.readAllBytes();
        }
    }

    /**
     * The acceptance bound "keyed state <= 2 KiB per series at SEQ_LEN 60": a detector as the benchmark builds it
     * (SEQ_LEN 60, 16 hidden units, seasonal period 24) after 10,000 updates, whole: its converged SARIMA filter
     * keeps the state mean only (the covariance is the model's shared steady state). This fitted model is close to
     * non-invertible and converges only after ~6,200 updates; before that its filter stores the 27x27 covariance too
     * (about 4.7 KB in all, see bench/RESULTS.md). The bound holds in the default carried LSTM state mode, the one
     * the benchmark and the job use; the window mode keeps SEQ_LEN inputs (480 B) and the staggered mode a second
     * LSTM state instead, and since the drift CUSUM (about 210 B, session 8) they take up to 2.25 KiB.
     */
    @ParameterizedTest
    @EnumSource(LstmStateMode.class)
    void snapshotOfABenchmarkLikeDetectorFitsInTwoKibibytes(LstmStateMode lstmState) {
        HybridConfig d = HybridConfig.defaults().withSeqLen(60);
        HybridConfig config = new HybridConfig(60, 16, 1, 3, d.learningRate(), d.batchSize(), d.seed(), d.maxP(), 24,
                d.scoringWindow(), d.alarmProbability(), d.maxTrainingPoints(), d.zScoreWindow(), d.alarmCooldown(),
                d.retrainEvery(), d.thresholdRule(), lstmState);
        double[] y = SyntheticAnomalies.clean(720 + 10_000, 5);
        FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.HYBRID, config)
                .keepingCorrection().fit(Arrays.copyOf(y, 720));
        SarimaEeLstm detector = new SarimaEeLstm(model);
        for (int t = 720; t < y.length; t++) {
            detector.update(y[t]);
        }
        byte[] state = detector.snapshotState();
        int transientFilter = model.sarima().newOnlineFilter().serializeState().length;
        System.out.printf("state %s: %d bytes (%s; a filter before converging alone: %d bytes)%n", lstmState,
                state.length, model.sarima().spec(), transientFilter);
        assertThat(state.length).isLessThanOrEqualTo(lstmState == LstmStateMode.CARRIED ? 2048 : 2304);
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

    /**
     * THRESHOLDS changed across a restore: the restored detector uses the model's fixed threshold of now (a new
     * one, or none: the calibrated one), not the one in force when the state was written.
     */
    @Test
    void aRestoredDetectorTakesTheFixedThresholdOfTheModelItIsRestoredFor() {
        double[] y = SyntheticAnomalies.clean(700, 5);
        FeatureModel calibrated = new SarimaEeLstmTrainer(DetectorMode.SARIMA, SarimaEeLstmTest.CONFIG)
                .fit(Arrays.copyOf(y, 400));
        SarimaEeLstm before = new SarimaEeLstm(calibrated.withThreshold(2.5));
        before.prime(Arrays.copyOf(y, 400));
        for (int t = 400; t < 500; t++) {
            assertThat(before.update(y[t]).threshold()).isEqualTo(2.5);
        }
        byte[] state = before.snapshotState();

        SarimaEeLstm raised = SarimaEeLstm.restore(calibrated.withThreshold(5.0), state);
        assertThat(raised.update(y[500]).threshold()).isEqualTo(5.0);

        SarimaEeLstm removed = SarimaEeLstm.restore(calibrated, state);
        double calibratedThreshold = removed.update(y[500]).threshold();
        assertThat(calibratedThreshold).isNotEqualTo(2.5).isPositive();
        // it is the threshold of a detector that never had a fixed one and saw the same values (the errors, and
        // so the calibration, do not depend on the threshold)
        SarimaEeLstm plain = new SarimaEeLstm(calibrated);
        plain.prime(Arrays.copyOf(y, 400));
        for (int t = 400; t < 500; t++) {
            plain.update(y[t]);
        }
        assertThat(calibratedThreshold).isEqualTo(plain.update(y[500]).threshold());
        assertThat(SarimaEeLstm.restore(calibrated.withThreshold(2.5), state).update(y[500]).threshold())
                .isEqualTo(2.5);
    }

    /**
     * Corrupt state bytes (an int overwritten with -1, a huge or a random value, at a random place) either restore
     * a detector that goes on scoring, or are refused with IllegalArgumentException, which the job answers by
     * starting the series' detector afresh; never another exception, which failed the job on every sample.
     */
    @ParameterizedTest
    @EnumSource(value = DetectorMode.class, names = {"HYBRID", "SARIMA"})
    void corruptStateIsRefusedOrRestoredNeverAnotherFailure(DetectorMode mode) {
        double[] y = SyntheticAnomalies.clean(700, 6);
        FeatureModel model = new SarimaEeLstmTrainer(mode, SarimaEeLstmTest.CONFIG).fit(Arrays.copyOf(y, 400));
        SarimaEeLstm d = new SarimaEeLstm(model);
        d.prime(Arrays.copyOf(y, 400));
        for (int t = 400; t < 450; t++) {
            d.update(y[t]);
        }
        byte[] state = d.snapshotState();
        java.util.Random rnd = new java.util.Random(11);
        int[] values = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 30, 0};
        int refused = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] bad = state.clone();
            int at = rnd.nextInt(bad.length - 3);
            int v = trial % 2 == 0 ? values[rnd.nextInt(values.length)] : rnd.nextInt();
            java.nio.ByteBuffer.wrap(bad, at, 4).putInt(v);
            SarimaEeLstm restored;
            try {
                restored = SarimaEeLstm.restore(model, bad);
            } catch (IllegalArgumentException expected) {
                refused++;
                continue;
            }
            for (int t = 450; t < 460; t++) {
                restored.update(y[t]);
            }
        }
        assertThat(refused).as("some corruptions are detected").isPositive();
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
