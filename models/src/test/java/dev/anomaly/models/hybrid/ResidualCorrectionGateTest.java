package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.lstm.LstmConfig;
import dev.anomaly.models.lstm.LstmForwardPass;
import dev.anomaly.models.lstm.LstmTrainer;
import dev.anomaly.models.lstm.LstmWeights;
import dev.anomaly.models.preprocessing.WindowBuilder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hybrid keeps the LSTM's residual correction only where it predicts the held-out residuals better than 0
 * (SARIMA alone) does: {@link SarimaEeLstmTrainer#correctionHelps}, and the zero-output network that stands in for a
 * dropped correction.
 */
class ResidualCorrectionGateTest {
    private static final HybridConfig CONFIG = SarimaEeLstmTest.CONFIG;

    @Test
    void keepsACorrectionThatPredictsStructuredResiduals() {
        // Residuals with a pattern no linear model of order <= 2 holds: a period-3 cycle, +2, -1, -1.
        double[] x = new double[600];
        Random r = new Random(3);
        for (int t = 0; t < x.length; t++) {
            x[t] = (t % 3 == 0 ? 2.0 : -1.0) + 0.1 * r.nextGaussian();
        }
        LstmWeights trained = train(x);
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.HYBRID, CONFIG);
        assertThat(trainer.correctionHelps(trained, x)).isTrue();
        assertThat(trainer.correctionHelps(trained.withZeroOutput(), x)).as("0 is never better than 0").isFalse();
    }

    @Test
    void dropsACorrectionOfUnpredictableResiduals() {
        double[] x = new double[600];
        Random r = new Random(4);
        for (int t = 0; t < x.length; t++) {
            x[t] = r.nextGaussian();
        }
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.HYBRID, CONFIG);
        assertThat(trainer.correctionHelps(train(x), x)).isFalse();
    }

    @Test
    void aZeroOutputNetworkPredictsZeroAndKeepsItsLayers() {
        LstmWeights trained = train(new double[] {1, -1, 2, 0.5, -0.3, 1, -1, 2, 0.5, -0.3, 1, -1, 2, 0.5, -0.3, 1,
                -1, 2, 0.5, -0.3, 1, -1, 2, 0.5, -0.3, 1, -1, 2, 0.5, -0.3, 1, -1, 2, 0.5, -0.3, 1, -1, 2, 0.5});
        LstmWeights zero = trained.withZeroOutput();
        assertThat(trained.predictsZero()).isFalse();
        assertThat(zero.predictsZero()).isTrue();
        assertThat(zero.layers()).isEqualTo(trained.layers());
        LstmForwardPass pass = new LstmForwardPass(zero);
        var state = pass.newState();
        for (double v : new double[] {3, -2, 8, 0.1}) {
            assertThat(pass.step(state, v)).isZero();
        }
    }

    /** A hybrid whose correction was dropped has exactly the sarima mode's errors on the same series. */
    @ParameterizedTest
    @EnumSource(LstmStateMode.class)
    void aDroppedCorrectionScoresAsSarimaAlone(LstmStateMode lstmState) {
        HybridConfig config = CONFIG.withLstmState(lstmState);
        Random r = new Random(9);
        double[] y = new double[1400];
        for (int t = 0; t < y.length; t++) {
            y[t] = 10 + r.nextGaussian() + (t == 1100 ? 9 : 0);
        }
        double[] training = Arrays.copyOf(y, SarimaEeLstmTest.TRAIN);
        FeatureModel hybrid = new SarimaEeLstmTrainer(DetectorMode.HYBRID, config).fit(training);
        assertThat(hybrid.lstm().predictsZero()).as("white noise leaves nothing for the LSTM").isTrue();
        FeatureModel sarima = new SarimaEeLstmTrainer(DetectorMode.SARIMA, config).fit(training);
        SarimaEeLstm h = new SarimaEeLstm(hybrid);
        SarimaEeLstm s = new SarimaEeLstm(sarima);
        h.prime(training);
        s.prime(training);
        int compared = 0;
        for (int t = training.length; t < y.length; t++) {
            Detection a = h.update(y[t]);
            Detection b = s.update(y[t]);
            if (Double.isFinite(b.mse())) {
                assertThat(a.mse()).isCloseTo(b.mse(), org.assertj.core.data.Offset.offset(1e-12));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(700);
        // Its forecast is SARIMA's shifted by one constant (the scaler's centre on SARIMA's scale) at every step,
        // bands included: no correction that varies with the horizon.
        HybridForecast fh = h.forecast(6);
        HybridForecast fs = s.forecast(6);
        double shift = fh.mean()[0] - fs.mean()[0];
        for (int k = 0; k < 6; k++) {
            assertThat(fh.mean()[k] - fs.mean()[k]).isCloseTo(shift, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(fh.lower95()[k] - fs.lower95()[k]).isCloseTo(shift, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(fh.upper95()[k] - fs.upper95()[k]).isCloseTo(shift, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    /**
     * A dropped correction costs no LSTM work per sample: the carried state is not stepped, so there is no step to
     * defer to a batch (that the scores stay exact is {@link #aDroppedCorrectionScoresAsSarimaAlone}).
     */
    @Test
    void aDroppedCorrectionTakesNoLstmStep() {
        Random r = new Random(11);
        double[] y = new double[900];
        for (int t = 0; t < y.length; t++) {
            y[t] = 5 + r.nextGaussian() + (t == 800 ? 8 : 0);
        }
        double[] training = Arrays.copyOf(y, SarimaEeLstmTest.TRAIN);
        HybridConfig carried = CONFIG.withLstmState(LstmStateMode.CARRIED);
        FeatureModel dropped = new SarimaEeLstmTrainer(DetectorMode.HYBRID, carried).fit(training);
        assertThat(dropped.lstm().predictsZero()).isTrue();
        FeatureModel kept = new SarimaEeLstmTrainer(DetectorMode.HYBRID, carried).keepingCorrection().fit(training);
        assertThat(kept.lstm().predictsZero()).isFalse();

        SarimaEeLstm silent = new SarimaEeLstm(dropped);
        SarimaEeLstm stepping = new SarimaEeLstm(kept);
        assertThat(silent.defersLstmStep()).isFalse();
        assertThat(stepping.defersLstmStep()).isTrue();
        silent.prime(training);
        stepping.prime(training);
        for (int t = training.length; t < y.length; t++) {
            silent.updateDeferringLstmStep(y[t]);
            stepping.updateDeferringLstmStep(y[t]);
            assertThat(silent.hasDeferredStep()).isFalse();
            assertThat(stepping.hasDeferredStep()).isTrue();
            stepping.completeDeferredStep();
        }
    }

    private static LstmWeights train(double[] x) {
        LstmConfig lstm = new LstmConfig(1, 6, CONFIG.seqLen(), 20, 0.01, 32, 7L, 0.2, 5);
        return new LstmTrainer(lstm).train(new WindowBuilder(CONFIG.seqLen()).build(x)).weights();
    }
}
