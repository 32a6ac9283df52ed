package dev.anomaly.models.lstm;

import java.util.Arrays;

/**
 * The parameters of one LSTM layer in DL4J's layout, flattened row-major: input weights
 * {@code [nIn][4n]}, recurrent weights {@code [n][4n]}, bias {@code [4n]}. The {@code 4n} columns are the
 * gate blocks in DL4J's order: block input (tanh), forget, output, input gate (sigmoid).
 *
 * @param inputSize        {@code nIn}
 * @param hiddenSize       {@code n}
 * @param inputWeights     {@code nIn * 4n} values
 * @param recurrentWeights {@code n * 4n} values
 * @param bias             {@code 4n} values
 */
public record LstmLayerWeights(
        int inputSize, int hiddenSize, double[] inputWeights, double[] recurrentWeights, double[] bias) {

    public LstmLayerWeights {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(
                    "inputSize and hiddenSize must be >= 1, got " + inputSize + " and " + hiddenSize);
        }
        int gates = 4 * hiddenSize;
        requireLength("inputWeights", inputWeights, inputSize * gates);
        requireLength("recurrentWeights", recurrentWeights, hiddenSize * gates);
        requireLength("bias", bias, gates);
    }

    private static void requireLength(String name, double[] values, int expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " must hold " + expected + " values, got " + values.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LstmLayerWeights other
                && inputSize == other.inputSize
                && hiddenSize == other.hiddenSize
                && Arrays.equals(inputWeights, other.inputWeights)
                && Arrays.equals(recurrentWeights, other.recurrentWeights)
                && Arrays.equals(bias, other.bias);
    }

    @Override
    public int hashCode() {
        int h = 31 * inputSize + hiddenSize;
        h = 31 * h + Arrays.hashCode(inputWeights);
        h = 31 * h + Arrays.hashCode(recurrentWeights);
        return 31 * h + Arrays.hashCode(bias);
    }

    @Override
    public String toString() {
        return "LstmLayerWeights[inputSize=" + inputSize + ", hiddenSize=" + hiddenSize + "]";
    }
}
