package dev.anomaly.models.lstm;

import java.util.Arrays;

/**
 * The recurrent state carried between samples of one stream: hidden {@code h} and cell {@code c} vectors
 * per layer. Mutable, owned by one stream; {@link #toArray()} and {@link #restore(double[])} let an
 * operator checkpoint it.
 */
public final class LstmState {

    final double[][] h;
    final double[][] c;

    /** A zero state for layers of the given hidden sizes (input layer first). */
    public LstmState(int... hiddenSizes) {
        if (hiddenSizes.length == 0) {
            throw new IllegalArgumentException("at least one layer is required");
        }
        h = new double[hiddenSizes.length][];
        c = new double[hiddenSizes.length][];
        for (int l = 0; l < hiddenSizes.length; l++) {
            if (hiddenSizes[l] < 1) {
                throw new IllegalArgumentException("hidden size of layer " + l + " must be >= 1, got " + hiddenSizes[l]);
            }
            h[l] = new double[hiddenSizes[l]];
            c[l] = new double[hiddenSizes[l]];
        }
    }

    public int layers() {
        return h.length;
    }

    public int hiddenSize(int layer) {
        return h[layer].length;
    }

    /** Returns a copy of layer {@code layer}'s hidden vector. */
    public double[] hidden(int layer) {
        return h[layer].clone();
    }

    /** Returns a copy of layer {@code layer}'s cell vector. */
    public double[] cell(int layer) {
        return c[layer].clone();
    }

    /** Back to the all-zero state a window starts from. */
    public void reset() {
        for (int l = 0; l < h.length; l++) {
            Arrays.fill(h[l], 0.0);
            Arrays.fill(c[l], 0.0);
        }
    }

    /** Number of values {@link #toArray()} returns. */
    public int size() {
        int n = 0;
        for (double[] layer : h) {
            n += 2 * layer.length;
        }
        return n;
    }

    /** Flattens the state as {@code h0, c0, h1, c1, ...}. */
    public double[] toArray() {
        double[] out = new double[size()];
        int pos = 0;
        for (int l = 0; l < h.length; l++) {
            System.arraycopy(h[l], 0, out, pos, h[l].length);
            pos += h[l].length;
            System.arraycopy(c[l], 0, out, pos, c[l].length);
            pos += c[l].length;
        }
        return out;
    }

    /** Overwrites this state from a {@link #toArray()} of a state with the same layer sizes. */
    public void restore(double[] values) {
        if (values.length != size()) {
            throw new IllegalArgumentException("state holds " + size() + " values, got " + values.length);
        }
        int pos = 0;
        for (int l = 0; l < h.length; l++) {
            System.arraycopy(values, pos, h[l], 0, h[l].length);
            pos += h[l].length;
            System.arraycopy(values, pos, c[l], 0, c[l].length);
            pos += c[l].length;
        }
    }

    /** An independent copy. */
    public LstmState copy() {
        int[] sizes = new int[h.length];
        for (int l = 0; l < h.length; l++) {
            sizes[l] = h[l].length;
        }
        LstmState copy = new LstmState(sizes);
        copy.restore(toArray());
        return copy;
    }
}
