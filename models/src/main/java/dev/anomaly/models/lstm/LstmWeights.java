package dev.anomaly.models.lstm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A plain-Java copy of a network built by {@link LstmNetworkFactory}: the LSTM layers, then a linear
 * output {@code y = outputBias + Σ h[k]·outputWeights[k]} over the last layer's final hidden state.
 * The arrays are shared, not copied: treat them as read-only.
 *
 * @param layers        the LSTM layers, input first; each layer's input size is the previous one's hidden size
 * @param outputWeights one weight per unit of the last layer
 * @param outputBias    the output unit's bias
 */
public record LstmWeights(List<LstmLayerWeights> layers, double[] outputWeights, double outputBias) {

    public LstmWeights {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("at least one LSTM layer is required");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputSize() != layers.get(i - 1).hiddenSize()) {
                throw new IllegalArgumentException("layer " + i + " expects " + layers.get(i).inputSize()
                        + " inputs but layer " + (i - 1) + " has " + layers.get(i - 1).hiddenSize() + " units");
            }
        }
        int last = layers.get(layers.size() - 1).hiddenSize();
        if (outputWeights.length != last) {
            throw new IllegalArgumentException(
                    "outputWeights must hold " + last + " values, got " + outputWeights.length);
        }
    }

    /**
     * The same network with its output layer zeroed: it predicts exactly 0 for every input. The hybrid detector
     * uses it for a series whose residuals the trained network does not predict better than 0 does.
     */
    public LstmWeights withZeroOutput() {
        return new LstmWeights(layers, new double[outputWeights.length], 0.0);
    }

    /** Whether the output layer is all zeros (see {@link #withZeroOutput()}). */
    public boolean predictsZero() {
        for (double w : outputWeights) {
            if (w != 0.0) {
                return false;
            }
        }
        return outputBias == 0.0;
    }

    /** Copies the parameters of {@code net}, which must have the shape {@link LstmNetworkFactory} builds. */
    public static LstmWeights from(MultiLayerNetwork net) {
        int lstmLayers = net.getnLayers() - 1;
        List<LstmLayerWeights> layers = new ArrayList<>(lstmLayers);
        for (int i = 0; i < lstmLayers; i++) {
            double[][] w = net.getParam(i + "_W").toDoubleMatrix();
            double[][] rw = net.getParam(i + "_RW").toDoubleMatrix();
            layers.add(new LstmLayerWeights(w.length, rw.length, flatten(w), flatten(rw),
                    net.getParam(i + "_b").dup().reshape(-1).toDoubleVector()));
        }
        double[] outW = net.getParam(lstmLayers + "_W").dup().reshape(-1).toDoubleVector();
        double outB = net.getParam(lstmLayers + "_b").getDouble(0);
        return new LstmWeights(layers, outW, outB);
    }

    /** Overwrites the parameters of {@code net}, which must have this architecture. */
    public void copyInto(MultiLayerNetwork net) {
        if (net.getnLayers() != layers.size() + 1) {
            throw new IllegalArgumentException("network has " + net.getnLayers() + " layers, weights describe "
                    + (layers.size() + 1));
        }
        for (int i = 0; i < layers.size(); i++) {
            LstmLayerWeights layer = layers.get(i);
            assign(net, i + "_W", layer.inputWeights());
            assign(net, i + "_RW", layer.recurrentWeights());
            assign(net, i + "_b", layer.bias());
        }
        assign(net, layers.size() + "_W", outputWeights);
        assign(net, layers.size() + "_b", new double[] {outputBias});
    }

    /** Units in the last LSTM layer. */
    public int lastHiddenSize() {
        return layers.get(layers.size() - 1).hiddenSize();
    }

    private static void assign(MultiLayerNetwork net, String key, double[] rowMajor) {
        INDArray current = net.getParam(key);
        if (current.length() != rowMajor.length) {
            throw new IllegalArgumentException("parameter " + key + " has " + current.length()
                    + " values, weights hold " + rowMajor.length);
        }
        current.assign(Nd4j.create(rowMajor, current.shape(), 'c'));
    }

    private static double[] flatten(double[][] matrix) {
        int cols = matrix.length == 0 ? 0 : matrix[0].length;
        double[] out = new double[matrix.length * cols];
        for (int r = 0; r < matrix.length; r++) {
            System.arraycopy(matrix[r], 0, out, r * cols, cols);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LstmWeights other
                && layers.equals(other.layers)
                && Arrays.equals(outputWeights, other.outputWeights)
                && Double.compare(outputBias, other.outputBias) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * layers.hashCode() + Arrays.hashCode(outputWeights)) + Double.hashCode(outputBias);
    }

    @Override
    public String toString() {
        return "LstmWeights" + layers;
    }
}
