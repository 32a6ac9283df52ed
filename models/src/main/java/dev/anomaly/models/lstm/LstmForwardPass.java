package dev.anomaly.models.lstm;

import java.util.List;

/**
 * Inference for {@link LstmWeights} in plain Java, without ND4J: equal to DL4J's {@code output()} on the
 * same weights, and allocation-free after construction. Not thread-safe (it reuses scratch buffers):
 * use one instance per thread, sharing the weights.
 */
public final class LstmForwardPass {

    private final int layers;
    private final int[] inputSize;
    private final int[] hiddenSize;
    private final double[][] inputWeights;
    private final double[][] recurrentWeights;
    private final double[][] bias;
    private final double[] outputWeights;
    private final double outputBias;

    private final double[] gates;
    private final double[] input = new double[1];
    private final LstmState windowState;
    /** Scratch of {@link #stepBatch}: one tile's inputs, layer inputs and gate pre-activations. */
    private final double[][] tileInput = new double[TILE][1];
    private final double[][] tileX = new double[TILE][];
    private final double[][] tileGates;

    /** Prepares a forward pass over {@code weights}, whose first layer must take one input. */
    public LstmForwardPass(LstmWeights weights) {
        List<LstmLayerWeights> ls = weights.layers();
        if (ls.get(0).inputSize() != 1) {
            throw new IllegalArgumentException(
                    "the forward pass is univariate: first layer must take 1 input, got " + ls.get(0).inputSize());
        }
        layers = ls.size();
        inputSize = new int[layers];
        hiddenSize = new int[layers];
        inputWeights = new double[layers][];
        recurrentWeights = new double[layers][];
        bias = new double[layers][];
        int maxHidden = 0;
        for (int l = 0; l < layers; l++) {
            LstmLayerWeights layer = ls.get(l);
            inputSize[l] = layer.inputSize();
            hiddenSize[l] = layer.hiddenSize();
            inputWeights[l] = layer.inputWeights().clone();
            recurrentWeights[l] = layer.recurrentWeights().clone();
            bias[l] = layer.bias().clone();
            maxHidden = Math.max(maxHidden, hiddenSize[l]);
        }
        outputWeights = weights.outputWeights().clone();
        outputBias = weights.outputBias();
        gates = new double[4 * maxHidden];
        tileGates = new double[TILE][4 * maxHidden];
        windowState = newState();
    }

    /** A zero state for {@link #step(LstmState, double)}. */
    public LstmState newState() {
        return new LstmState(hiddenSize.clone());
    }

    /** Predicts the value after {@code window}, starting from a zero state. */
    public double predict(double[] window) {
        return predict(window, 0, window.length);
    }

    /** Predicts the value after {@code series[from .. from+length-1]}, starting from a zero state. */
    public double predict(double[] series, int from, int length) {
        if (length < 1 || from < 0 || from + length > series.length) {
            throw new IndexOutOfBoundsException(
                    "window [" + from + ", " + (from + length) + ") outside a series of " + series.length);
        }
        windowState.reset();
        for (int t = from; t < from + length - 1; t++) {
            advance(windowState, series[t]);
        }
        return step(windowState, series[from + length - 1]);
    }

    /** Predicts the value after each window. */
    public double[] predictBatch(double[][] windows) {
        double[] out = new double[windows.length];
        predictBatch(windows, out);
        return out;
    }

    /** Writes the prediction after {@code windows[i]} into {@code out[i]}, allocating nothing. */
    public void predictBatch(double[][] windows, double[] out) {
        if (out.length < windows.length) {
            throw new IllegalArgumentException("out holds " + out.length + " values for " + windows.length + " windows");
        }
        for (int i = 0; i < windows.length; i++) {
            out[i] = predict(windows[i]);
        }
    }

    /**
     * Feeds one sample into {@code state} and returns the prediction for the next one: one cell step per
     * layer, so a stream costs O(1) per sample instead of a whole window.
     */
    public double step(LstmState state, double x) {
        advance(state, x);
        return output(state);
    }

    /**
     * {@link #step} for many streams in one call: feeds {@code inputs[i]} into {@code states[i]} and writes the
     * prediction for its next sample into {@code predictions[i]}, for {@code i < count}. The states are processed
     * {@value #TILE} at a time, so each weight is read once per tile instead of once per stream; every stream's sums
     * run in the same order as in {@link #step}, so the results are bit-for-bit those of {@code count} single
     * steps. The states must be distinct objects.
     */
    public void stepBatch(LstmState[] states, double[] inputs, int count, double[] predictions) {
        if (count < 0 || count > states.length || count > inputs.length || count > predictions.length) {
            throw new IllegalArgumentException("batch of " + count + " for " + states.length + " states, "
                    + inputs.length + " inputs, " + predictions.length + " outputs");
        }
        for (int from = 0; from < count; from += TILE) {
            int rows = Math.min(TILE, count - from);
            for (int r = 0; r < rows; r++) {
                LstmState s = states[from + r];
                if (s.h.length != layers || s.h[0].length != hiddenSize[0]) {
                    throw new IllegalArgumentException("state " + (from + r) + " does not match this network's layers");
                }
                tileInput[r][0] = inputs[from + r];
            }
            for (int l = 0; l < layers; l++) {
                for (int r = 0; r < rows; r++) {
                    tileX[r] = l == 0 ? tileInput[r] : states[from + r].h[l - 1];
                }
                tileCellStep(l, states, from, rows);
            }
            for (int r = 0; r < rows; r++) {
                predictions[from + r] = output(states[from + r]);
            }
        }
    }

    /** Streams per tile in {@link #stepBatch}. */
    static final int TILE = 4;

    /** {@link #cellStep} for {@code rows} (at most {@link #TILE}) states at once, reading each weight once. */
    private void tileCellStep(int l, LstmState[] states, int from, int rows) {
        int n = hiddenSize[l];
        int width = 4 * n;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bias[l], 0, tileGates[r], 0, width);
        }
        double[] w = inputWeights[l];
        for (int i = 0, nIn = inputSize[l]; i < nIn; i++) {
            int offset = i * width;
            if (rows == TILE) {
                axpy4(tileX[0][i], tileX[1][i], tileX[2][i], tileX[3][i], w, offset, width);
            } else {
                for (int r = 0; r < rows; r++) {
                    axpy(tileX[r][i], w, offset, tileGates[r], width);
                }
            }
        }
        double[] rw = recurrentWeights[l];
        for (int k = 0; k < n; k++) {
            int offset = k * width;
            if (rows == TILE) {
                axpy4(states[from].h[l][k], states[from + 1].h[l][k], states[from + 2].h[l][k],
                        states[from + 3].h[l][k], rw, offset, width);
            } else {
                for (int r = 0; r < rows; r++) {
                    axpy(states[from + r].h[l][k], rw, offset, tileGates[r], width);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            activate(tileGates[r], n, states[from + r].h[l], states[from + r].c[l]);
        }
    }

    /** {@code tileGates[r] += a_r * w[offset ..]} for the four rows of a full tile. */
    private void axpy4(double a0, double a1, double a2, double a3, double[] w, int offset, int width) {
        double[] z0 = tileGates[0];
        double[] z1 = tileGates[1];
        double[] z2 = tileGates[2];
        double[] z3 = tileGates[3];
        for (int j = 0; j < width; j++) {
            double wj = w[offset + j];
            z0[j] += a0 * wj;
            z1[j] += a1 * wj;
            z2[j] += a2 * wj;
            z3[j] += a3 * wj;
        }
    }

    /** Feeds one sample into {@code state} without computing the output. */
    public void feed(LstmState state, double x) {
        advance(state, x);
    }

    /** The prediction for the next sample from {@code state} (the dense output of the last layer). */
    public double output(LstmState state) {
        double[] h = state.h[layers - 1];
        double y = outputBias;
        for (int k = 0; k < h.length; k++) {
            y += h[k] * outputWeights[k];
        }
        return y;
    }

    private void advance(LstmState state, double x) {
        if (state.h.length != layers || state.h[0].length != hiddenSize[0]) {
            throw new IllegalArgumentException("state does not match this network's layers");
        }
        input[0] = x;
        double[] layerInput = input;
        for (int l = 0; l < layers; l++) {
            cellStep(l, layerInput, state.h[l], state.c[l]);
            layerInput = state.h[l];
        }
    }

    /** One LSTM cell step of layer {@code l}, updating {@code h} and {@code c} in place. */
    private void cellStep(int l, double[] x, double[] h, double[] c) {
        int n = hiddenSize[l];
        int width = 4 * n;
        double[] z = gates;
        System.arraycopy(bias[l], 0, z, 0, width);
        double[] w = inputWeights[l];
        for (int i = 0, nIn = inputSize[l]; i < nIn; i++) {
            axpy(x[i], w, i * width, z, width);
        }
        double[] rw = recurrentWeights[l];
        for (int k = 0; k < n; k++) {
            axpy(h[k], rw, k * width, z, width);
        }
        activate(z, n, h, c);
    }

    /** The gate non-linearities and the cell update from the pre-activations {@code z}, in place on h and c. */
    private static void activate(double[] z, int n, double[] h, double[] c) {
        // Gate blocks in DL4J's order: block input, forget, output, input gate.
        for (int j = 0; j < n; j++) {
            double blockInput = tanh(z[j]);
            double forget = sigmoid(z[n + j]);
            double output = sigmoid(z[2 * n + j]);
            double inputGate = sigmoid(z[3 * n + j]);
            double cell = forget * c[j] + inputGate * blockInput;
            c[j] = cell;
            h[j] = output * tanh(cell);
        }
    }

    private static void axpy(double a, double[] w, int offset, double[] z, int width) {
        for (int j = 0; j < width; j++) {
            z[j] += a * w[offset + j];
        }
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** tanh through the intrinsic {@code Math.exp}; absolute error below 1e-15, several times faster than {@code Math.tanh}. */
    static double tanh(double x) {
        double e = Math.exp(-2.0 * Math.abs(x));
        double t = (1.0 - e) / (1.0 + e);
        return x < 0 ? -t : t;
    }
}
