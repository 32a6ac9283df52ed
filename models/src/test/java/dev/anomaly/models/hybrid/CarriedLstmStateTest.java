package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.lstm.LstmForwardPass;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The carried LSTM state modes predict what a zero-state forward pass over the values they have seen predicts:
 * carried over every value since the series start, staggered over the last SEQ_LEN+1 .. 2 SEQ_LEN values (the
 * expectation is computed here with {@link LstmForwardPass#predict} on the explicit window).
 */
class CarriedLstmStateTest {

    @Test
    void carriedAndStaggeredPredictionsEqualTheirWindows() {
        double[] y = SyntheticAnomalies.clean(1000, 5);
        int seqLen = SarimaEeLstmTest.CONFIG.seqLen();
        for (LstmStateMode lstmState : new LstmStateMode[] {LstmStateMode.WINDOW, LstmStateMode.CARRIED,
                LstmStateMode.STAGGERED}) {
            FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.LSTM,
                    SarimaEeLstmTest.CONFIG.withLstmState(lstmState)).fit(Arrays.copyOf(y, 600));
            LstmForwardPass lstm = new LstmForwardPass(model.lstm());
            SarimaEeLstm d = new SarimaEeLstm(model);
            double[] pushed = new double[y.length];
            int n = 0;
            for (int t = 600; t < y.length; t++) {
                Detection r = d.update(y[t]);
                if (n >= seqLen) {
                    int from = switch (lstmState) {
                        case WINDOW -> n - seqLen;
                        case CARRIED -> 0;
                        case STAGGERED -> {
                            int a = (n - 1) % (2 * seqLen) + 1;
                            yield n - Math.min(n, a > seqLen ? a : a + seqLen);
                        }
                    };
                    double expected = model.scaler().inverse(lstm.predict(pushed, from, n - from));
                    assertThat(r.prediction()).as("%s at %d", lstmState, t).isCloseTo(expected, within(1e-9));
                }
                pushed[n++] = Math.max(-SarimaEeLstm.CLIP, Math.min(SarimaEeLstm.CLIP, model.scaler().transform(y[t])));
            }
        }
    }
}
