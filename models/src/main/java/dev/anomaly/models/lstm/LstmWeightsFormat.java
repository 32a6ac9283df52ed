package dev.anomaly.models.lstm;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compact, versioned binary encoding of {@link LstmWeights} (big-endian doubles, bit-exact), for model
 * files and for shipping weights inside a Flink job. Layout: magic {@code "LSTM"}, version, layer count,
 * per layer {@code nIn, n, W, RW, b}, then the output weights and bias.
 */
public final class LstmWeightsFormat {

    /** The ASCII bytes {@code LSTM}. */
    static final int MAGIC = 0x4C53544D;
    static final int VERSION = 1;
    /** Bounds that reject a corrupt header before it allocates gigabytes. */
    private static final int MAX_LAYERS = 64;
    private static final int MAX_UNITS = 1 << 16;
    /** The most values one weight matrix may hold (an array's limit, less a margin). */
    private static final long MAX_DOUBLES = Integer.MAX_VALUE - 16;

    private LstmWeightsFormat() {
    }

    public static void write(LstmWeights weights, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(weights.layers().size());
        for (LstmLayerWeights layer : weights.layers()) {
            data.writeInt(layer.inputSize());
            data.writeInt(layer.hiddenSize());
            writeDoubles(data, layer.inputWeights());
            writeDoubles(data, layer.recurrentWeights());
            writeDoubles(data, layer.bias());
        }
        writeDoubles(data, weights.outputWeights());
        data.writeDouble(weights.outputBias());
        data.flush();
    }

    /** Reads weights written by {@link #write}; throws {@link IOException} on a foreign or corrupt stream. */
    public static LstmWeights read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic = data.readInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not an LSTM weights stream: magic 0x%08X, expected 0x%08X", magic, MAGIC));
        }
        int version = data.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported LSTM weights version " + version + ", expected " + VERSION);
        }
        int count = readBounded(data, "layer count", MAX_LAYERS);
        List<LstmLayerWeights> layers = new ArrayList<>(count);
        for (int l = 0; l < count; l++) {
            int nIn = readBounded(data, "input size", MAX_UNITS);
            int n = readBounded(data, "hidden size", MAX_UNITS);
            double[] w = readDoubles(data, "input weights", (long) nIn * 4 * n);
            double[] rw = readDoubles(data, "recurrent weights", (long) n * 4 * n);
            double[] b = readDoubles(data, "biases", 4L * n);
            layers.add(new LstmLayerWeights(nIn, n, w, rw, b));
        }
        double[] outW = readDoubles(data, "output weights", layers.get(count - 1).hiddenSize());
        double outB = data.readDouble();
        try {
            return new LstmWeights(layers, outW, outB);
        } catch (IllegalArgumentException e) {
            throw new IOException("inconsistent LSTM weights: " + e.getMessage(), e);
        }
    }

    public static void save(LstmWeights weights, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(weights, out);
        }
    }

    public static LstmWeights load(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in);
        }
    }

    public static byte[] toBytes(LstmWeights weights) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(weights, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static LstmWeights fromBytes(byte[] bytes) throws IOException {
        return read(new ByteArrayInputStream(bytes));
    }

    private static int readBounded(DataInputStream data, String what, int max) throws IOException {
        int value = data.readInt();
        if (value < 1 || value > max) {
            throw new IOException(what + " " + value + " outside [1, " + max + "]");
        }
        return value;
    }

    private static void writeDoubles(DataOutputStream data, double[] values) throws IOException {
        for (double v : values) {
            data.writeDouble(v);
        }
    }

    /**
     * Reads {@code count} doubles. The count comes from the stream's own header, so a corrupt one must not decide an
     * allocation: it is refused beyond what an array holds, and the array grows with the values actually read (a
     * header claiming gigabytes over a short stream ends in an EOF error, not in OutOfMemoryError).
     */
    private static double[] readDoubles(DataInputStream data, String what, long count) throws IOException {
        if (count > MAX_DOUBLES) {
            throw new IOException(what + ": " + count + " values, more than " + MAX_DOUBLES);
        }
        int n = (int) count;
        double[] values = new double[Math.min(n, 1 << 16)];
        for (int i = 0; i < n; i++) {
            if (i == values.length) {
                values = Arrays.copyOf(values, (int) Math.min(n, 2L * values.length));
            }
            values[i] = data.readDouble();
        }
        return values;
    }
}
