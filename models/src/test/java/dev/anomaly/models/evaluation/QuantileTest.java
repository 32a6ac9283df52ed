package dev.anomaly.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class QuantileTest {
    @Test
    void interpolatesLinearlyBetweenOrderStatistics() {
        double[] v = {4, 1, 3, 2, 5};
        assertThat(Quantile.of(v, 1.0)).isEqualTo(5.0);
        assertThat(Quantile.of(v, 0.5)).isEqualTo(3.0);
        assertThat(Quantile.of(v, 0.9)).isCloseTo(4.6, Offset.offset(1e-12));
        assertThat(v).containsExactly(4, 1, 3, 2, 5);
    }

    @Test
    void noValuesHaveNoQuantile() {
        assertThatThrownBy(() -> Quantile.of(new double[0], 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
