package dev.anomaly.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LstmConfigTest {

    @Test
    void defaultsAreValid() {
        LstmConfig config = LstmConfig.defaults();

        assertThat(config.seqLen()).isEqualTo(60);
        assertThat(config.validationFraction()).isBetween(0.0, 1.0);
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThatThrownBy(() -> new LstmConfig(0, 32, 60, 10, 1e-3, 32, 1, 0.2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("layers must be >= 1, got 0");
        assertThatThrownBy(() -> new LstmConfig(1, 0, 60, 10, 1e-3, 32, 1, 0.2, 3))
                .hasMessage("hiddenSize must be >= 1, got 0");
        assertThatThrownBy(() -> new LstmConfig(1, 32, 0, 10, 1e-3, 32, 1, 0.2, 3))
                .hasMessage("seqLen must be >= 1, got 0");
        assertThatThrownBy(() -> new LstmConfig(1, 32, 60, 0, 1e-3, 32, 1, 0.2, 3))
                .hasMessage("epochs must be >= 1, got 0");
        assertThatThrownBy(() -> new LstmConfig(1, 32, 60, 10, 1e-3, 0, 1, 0.2, 3))
                .hasMessage("batchSize must be >= 1, got 0");
        assertThatThrownBy(() -> new LstmConfig(1, 32, 60, 10, 1e-3, 32, 1, 0.2, 0))
                .hasMessage("patience must be >= 1, got 0");
    }

    @Test
    void rejectsBadLearningRateAndValidationFraction() {
        assertThatThrownBy(() -> new LstmConfig(1, 32, 60, 10, 0, 32, 1, 0.2, 3))
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new LstmConfig(1, 32, 60, 10, Double.NaN, 32, 1, 0.2, 3))
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new LstmConfig(1, 32, 60, 10, 1e-3, 32, 1, 1.0, 3))
                .hasMessageContaining("validationFraction");
        assertThatThrownBy(() -> new LstmConfig(1, 32, 60, 10, 1e-3, 32, 1, -0.1, 3))
                .hasMessageContaining("validationFraction");
    }
}
