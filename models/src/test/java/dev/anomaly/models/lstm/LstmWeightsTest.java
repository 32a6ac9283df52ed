package dev.anomaly.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class LstmWeightsTest {

    @Test
    void copiesDl4jParametersInItsLayout() {
        MultiLayerNetwork net = LstmTestData.randomNetwork(LstmTestData.config(1, 3, 5), 31);

        LstmWeights weights = LstmWeights.from(net);

        LstmLayerWeights layer = weights.layers().get(0);
        assertThat(layer.inputSize()).isEqualTo(1);
        assertThat(layer.hiddenSize()).isEqualTo(3);
        // W[0][j] and RW[k][j], row-major over 4n = 12 gate columns
        assertThat(layer.inputWeights()[7]).isEqualTo(net.getParam("0_W").getDouble(0, 7));
        assertThat(layer.recurrentWeights()[2 * 12 + 5]).isEqualTo(net.getParam("0_RW").getDouble(2, 5));
        assertThat(layer.bias()[11]).isEqualTo(net.getParam("0_b").getDouble(11));
        assertThat(weights.outputWeights()[1]).isEqualTo(net.getParam("1_W").getDouble(1, 0));
        assertThat(weights.outputBias()).isEqualTo(net.getParam("1_b").getDouble(0));
    }

    @Test
    void rejectsLayersThatDoNotChain() {
        LstmLayerWeights first = zeros(1, 4);
        LstmLayerWeights second = zeros(3, 2);

        assertThatThrownBy(() -> new LstmWeights(List.of(first, second), new double[2], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1 expects 3 inputs but layer 0 has 4 units");
    }

    @Test
    void rejectsOutputWeightsOfTheWrongSize() {
        assertThatThrownBy(() -> new LstmWeights(List.of(zeros(1, 4)), new double[3], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outputWeights must hold 4 values");
    }

    @Test
    void rejectsALayerWithMisSizedMatrices() {
        assertThatThrownBy(() -> new LstmLayerWeights(1, 2, new double[8], new double[7], new double[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recurrentWeights must hold 16 values, got 7");
    }

    @Test
    void refusesToCopyIntoADifferentArchitecture() {
        LstmWeights weights = LstmWeights.from(LstmTestData.randomNetwork(LstmTestData.config(1, 3, 5), 32));
        MultiLayerNetwork wider = LstmNetworkFactory.create(LstmTestData.config(1, 4, 5));

        assertThatThrownBy(() -> weights.copyInto(wider)).isInstanceOf(IllegalArgumentException.class);
    }

    private static LstmLayerWeights zeros(int nIn, int n) {
        return new LstmLayerWeights(nIn, n, new double[nIn * 4 * n], new double[n * 4 * n], new double[4 * n]);
    }
}
