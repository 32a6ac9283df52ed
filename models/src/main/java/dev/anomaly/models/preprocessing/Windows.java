package dev.anomaly.models.preprocessing;

/**
 * Supervised pairs cut from a series: {@code x[i]} holds {@code seqLen} consecutive values and
 * {@code y[i]} the value right after them.
 *
 * @param x the input windows, all of one length
 * @param y the next value after each window
 */
public record Windows(double[][] x, double[] y) {

    public Windows {
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "x and y must pair up, got " + x.length + " windows and " + y.length + " targets");
        }
    }

    /** Number of pairs. */
    public int size() {
        return y.length;
    }

    /** Length of each window, or 0 when there are none. */
    public int seqLen() {
        return x.length == 0 ? 0 : x[0].length;
    }
}
