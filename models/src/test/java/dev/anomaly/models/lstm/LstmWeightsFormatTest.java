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

    @Test
    void rejectsATruncatedStream() {
        byte[] bytes = LstmWeightsFormat.toBytes(weights);

        assertThatThrownBy(() -> LstmWeightsFormat.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IOException.class);
    }
}
