package dev.anomaly.models.lstm;

import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small networks, random parameters and series shared by the LSTM tests. */
final class LstmTestData {

    private LstmTestData() {
    }

    static LstmConfig config(int layers, int hidden, int seqLen) {
        return new LstmConfig(layers, hidden, seqLen, 5, 1e-2, 16, 7L, 0.2, 3);
    }

    /**
     * A network whose every parameter, biases included, is uniform in [-1, 1], so each gate block and
     * bias position matters to the output.
     */
    static MultiLayerNetwork randomNetwork(LstmConfig config, long seed) {
        MultiLayerNetwork net = LstmNetworkFactory.create(config);
        Random random = new Random(seed);
        double[] params = new double[(int) net.numParams()];
        for (int i = 0; i < params.length; i++) {
            params[i] = 2 * random.nextDouble() - 1;
        }
        net.setParams(Nd4j.create(params, new long[] {1, params.length}, 'c'));
        return net;
    }

    static double[][] randomWindows(int count, int seqLen, long seed) {
        Random random = new Random(seed);
        double[][] windows = new double[count][seqLen];
        for (double[] w : windows) {
            for (int t = 0; t < seqLen; t++) {
                w[t] = 2 * random.nextGaussian();
            }
        }
        return windows;
    }

    /** DL4J's own prediction for each window: the independent reference. */
    static double[] dl4jOutput(MultiLayerNetwork net, double[][] windows) {
        int seqLen = windows[0].length;
        double[] data = new double[windows.length * seqLen];
        for (int i = 0; i < windows.length; i++) {
            System.arraycopy(windows[i], 0, data, i * seqLen, seqLen);
        }
        INDArray out = net.output(Nd4j.create(data, new long[] {windows.length, 1, seqLen}, 'c'));
        return out.dup().reshape(-1).toDoubleVector();
    }

    static double[] sine(int length, double period, double noise, long seed) {
        Random random = new Random(seed);
        double[] series = new double[length];
        for (int t = 0; t < length; t++) {
            series[t] = Math.sin(2 * Math.PI * t / period) + noise * random.nextGaussian();
        }
        return series;
    }
}
