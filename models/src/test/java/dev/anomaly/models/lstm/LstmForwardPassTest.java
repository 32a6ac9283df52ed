package dev.anomaly.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LstmForwardPassTest {

    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest(name = "{0} layer(s) x {1} units, {2} steps")
    @CsvSource({"1, 8, 12", "2, 6, 10", "1, 32, 60"})
    void singleWindowEqualsDl4jOutput(int layers, int hidden, int seqLen) {
        MultiLayerNetwork net = LstmTestData.randomNetwork(LstmTestData.config(layers, hidden, seqLen), 11);
        LstmForwardPass pass = new LstmForwardPass(LstmWeights.from(net));

        for (double[] window : LstmTestData.randomWindows(5, seqLen, 3)) {
            double expected = LstmTestData.dl4jOutput(net, new double[][] {window})[0];
            assertThat(pass.predict(window)).isCloseTo(expected, within(TOLERANCE));
        }
    }

    @ParameterizedTest(name = "{0} layer(s) x {1} units")
    @CsvSource({"1, 8", "3, 5"})
    void batchEqualsDl4jOutput(int layers, int hidden) {
        MultiLayerNetwork net = LstmTestData.randomNetwork(LstmTestData.config(layers, hidden, 15), 12);
        LstmForwardPass pass = new LstmForwardPass(LstmWeights.from(net));
        double[][] windows = LstmTestData.randomWindows(40, 15, 4);

        double[] expected = LstmTestData.dl4jOutput(net, windows);
        double[] actual = pass.predictBatch(windows);

        assertThat(actual).hasSize(40);
        for (int i = 0; i < windows.length; i++) {
            assertThat(actual[i]).as("window %d", i).isCloseTo(expected[i], within(TOLERANCE));
        }
    }

    @Test
    void carriedStateSteppingEqualsFullWindowForward() {
        MultiLayerNetwork net = LstmTestData.randomNetwork(LstmTestData.config(2, 7, 20), 13);
        LstmForwardPass pass = new LstmForwardPass(LstmWeights.from(net));
        double[] sequence = LstmTestData.randomWindows(1, 20, 5)[0];

        LstmState state = pass.newState();
        double stepped = Double.NaN;
        for (int t = 0; t < sequence.length; t++) {
            stepped = pass.step(state, sequence[t]);
            // every prefix of the stream is a window in its own right
            assertThat(stepped).isEqualTo(pass.predict(sequence, 0, t + 1));
        }
        assertThat(stepped).isCloseTo(LstmTestData.dl4jOutput(net, new double[][] {sequence})[0], within(TOLERANCE));
    }

    @ParameterizedTest(name = "{0} layer(s) x {1} units, batch of {2}")
    @CsvSource({"1, 16, 4", "1, 16, 11", "2, 7, 9", "3, 5, 1", "1, 32, 64"})
    void batchedCarriedStepsEqualSingleStepsBitForBit(int layers, int hidden, int batch) {
        MultiLayerNetwork net = LstmTestData.randomNetwork(LstmTestData.config(layers, hidden, 20), 15);
        LstmForwardPass pass = new LstmForwardPass(LstmWeights.from(net));
        double[][] streams = LstmTestData.randomWindows(batch, 20, 6);
        LstmState[] batched = new LstmState[batch];
        LstmState[] single = new LstmState[batch];
        for (int i = 0; i < batch; i++) {
            batched[i] = pass.newState();
            single[i] = pass.newState();
        }
        double[] inputs = new double[batch];
        double[] predictions = new double[batch];
        for (int t = 0; t < 20; t++) {
            // a different subset each step: the tiles see ragged batches and states at different ages
            int count = t % 3 == 2 ? Math.max(1, batch - t % 5) : batch;
            for (int i = 0; i < count; i++) {
                inputs[i] = streams[i][t];
            }
            pass.stepBatch(batched, inputs, count, predictions);
            for (int i = 0; i < count; i++) {
                assertThat(predictions[i]).as("stream %d, step %d", i, t).isEqualTo(pass.step(single[i], inputs[i]));
                assertThat(batched[i].toArray()).isEqualTo(single[i].toArray());
            }
        }
        // and both are the network's output on the stream (DL4J, an independent implementation): stream 0 took
        // every step
        assertThat(predictions[0]).isCloseTo(LstmTestData.dl4jOutput(net, new double[][] {streams[0]})[0],
                within(TOLERANCE));
    }

    @Test
    void batchRejectsACountBeyondItsArrays() {
        LstmForwardPass pass = new LstmForwardPass(
                LstmWeights.from(LstmTestData.randomNetwork(LstmTestData.config(1, 4, 10), 16)));
        LstmState[] states = {pass.newState(), pass.newState()};
        assertThatThrownBy(() -> pass.stepBatch(states, new double[2], 3, new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch of 3");
    }

    @Test
    void stateSurvivesCheckpointRoundTrip() {
        LstmForwardPass pass = new LstmForwardPass(
                LstmWeights.from(LstmTestData.randomNetwork(LstmTestData.config(2, 4, 10), 14)));
        LstmState state = pass.newState();
        for (double x : new double[] {0.3, -1.2, 0.8}) {
            pass.step(state, x);
        }
        LstmState restored = pass.newState();
        restored.restore(state.toArray());

        assertThat(pass.step(restored, 0.5)).isEqualTo(pass.step(state, 0.5));
    }

    @Test
    void resetStateStartsOver() {
        LstmForwardPass pass = new LstmForwardPass(
                LstmWeights.from(LstmTestData.randomNetwork(LstmTestData.config(1, 4, 10), 15)));
        LstmState state = pass.newState();
        double first = pass.step(state, 1.0);
        pass.step(state, 2.0);

        state.reset();

        assertThat(pass.step(state, 1.0)).isEqualTo(first);
    }

    @Test
    void rejectsAWindowOutsideTheSeries() {
        LstmForwardPass pass = new LstmForwardPass(
                LstmWeights.from(LstmTestData.randomNetwork(LstmTestData.config(1, 4, 10), 16)));

        assertThatThrownBy(() -> pass.predict(new double[5], 2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> pass.predict(new double[0])).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void fastTanhMatchesMathTanh() {
        for (double x = -25; x <= 25; x += 0.001) {
            assertThat(LstmForwardPass.tanh(x)).isCloseTo(Math.tanh(x), within(1e-15));
        }
        assertThat(LstmForwardPass.tanh(0.0)).isZero();
    }
}
