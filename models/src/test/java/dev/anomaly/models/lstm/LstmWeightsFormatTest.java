package dev.anomaly.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LstmWeightsFormatTest {

    private final LstmWeights weights =
            LstmWeights.from(LstmTestData.randomNetwork(LstmTestData.config(2, 6, 12), 21));

    @Test
    void saveThenLoadGivesIdenticalWeightsAndPredictions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("residual-lstm.bin");

        LstmWeightsFormat.save(weights, file);
        LstmWeights loaded = LstmWeightsFormat.load(file);

        assertThat(loaded).isEqualTo(weights);
        double[][] windows = LstmTestData.randomWindows(10, 12, 8);
        assertThat(new LstmForwardPass(loaded).predictBatch(windows))
                .containsExactly(new LstmForwardPass(weights).predictBatch(windows));
        // 2 layers: (1 + 6 + 1) * 24 and (6 + 6 + 1) * 24 doubles, 6 + 1 output doubles, 7 ints
        assertThat(Files.size(file)).isEqualTo(8L * (8 * 24 + 13 * 24 + 7) + 4L * 7);
    }

    @Test
    void loadedWeightsRebuildTheDl4jNetwork() throws IOException {
        LstmConfig config = LstmTestData.config(2, 6, 12);
        LstmWeights loaded = LstmWeightsFormat.fromBytes(LstmWeightsFormat.toBytes(weights));
        var net = LstmNetworkFactory.create(config);

        loaded.copyInto(net);

        assertThat(LstmWeights.from(net)).isEqualTo(weights);
    }

    @Test
    void rejectsAForeignStream() {
        byte[] bytes = LstmWeightsFormat.toBytes(weights);
        bytes[0] = 'X';

        assertThatThrownBy(() -> LstmWeightsFormat.fromBytes(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void rejectsAnUnknownVersion() {
        byte[] bytes = LstmWeightsFormat.toBytes(weights);
        bytes[7] = 99;

        assertThatThrownBy(() -> LstmWeightsFormat.fromBytes(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
    }

    /**
     * A corrupt header with sizes inside their bounds must not decide an allocation: 8,192 x 4 x 65,536 input
     * weights overflowed an int to a negative array size, 23,170 hidden units asked for 16 GiB before the first
     * value was read. Both are clear IOExceptions now.
     */
    @Test
    void rejectsHeaderSizesThatTheStreamDoesNotHold() throws IOException {
        assertThatThrownBy(() -> LstmWeightsFormat.fromBytes(header(65_536, 8_192)))
                .isInstanceOf(IOException.class).hasMessageContaining("input weights: 2147483648 values");
        assertThatThrownBy(() -> LstmWeightsFormat.fromBytes(header(1, 23_170)))
                .isInstanceOf(java.io.EOFException.class);
    }

    /** The start of a one-layer stream with these sizes, and 100 values. */
    private static byte[] header(int nIn, int hidden) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeInt(LstmWeightsFormat.MAGIC);
        out.writeInt(LstmWeightsFormat.VERSION);
        out.writeInt(1);
        out.writeInt(nIn);
        out.writeInt(hidden);
        for (int i = 0; i < 100; i++) {
            out.writeDouble(i);
        }
        return bytes.toByteArray();
    }

    @Test
    void rejectsATruncatedStream() {
        byte[] bytes = LstmWeightsFormat.toBytes(weights);

        assertThatThrownBy(() -> LstmWeightsFormat.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IOException.class);
    }
}
