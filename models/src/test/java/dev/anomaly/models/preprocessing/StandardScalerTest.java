package dev.anomaly.models.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StandardScalerTest {

    @Test
    void fitsMeanAndPopulationStd() {
        StandardScaler scaler = StandardScaler.fit(new double[] {2, 4, 4, 4, 5, 5, 7, 9});

        assertThat(scaler.mean()).isEqualTo(5.0);
        assertThat(scaler.std()).isEqualTo(2.0);
        assertThat(scaler.transform(9)).isEqualTo(2.0);
    }

    @Test
    void roundTripsASeries() {
        double[] series = {3.5, -1.25, 100, 0, 42.125};
        Scaler scaler = StandardScaler.fit(series);

        double[] scaled = scaler.transform(series);

        assertThat(scaler.inverse(scaled)).containsExactly(series, within(1e-12));
        double mean = 0;
        for (double z : scaled) {
            mean += z / scaled.length;
        }
        assertThat(mean).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void constantSeriesGetsScaleOneAndMapsToZero() {
        StandardScaler scaler = StandardScaler.fit(new double[] {7, 7, 7});

        assertThat(scaler.std()).isEqualTo(1.0);
        assertThat(scaler.transform(new double[] {7, 8})).containsExactly(0.0, 1.0);
    }

    @Test
    void ignoresNaNWhenFittingAndPassesItThrough() {
        StandardScaler scaler = StandardScaler.fit(new double[] {1, Double.NaN, 3, Double.POSITIVE_INFINITY});

        assertThat(scaler.mean()).isEqualTo(2.0);
        assertThat(scaler.std()).isEqualTo(1.0);
        assertThat(scaler.transform(Double.NaN)).isNaN();
        assertThat(scaler.inverse(Double.NaN)).isNaN();
    }

    @Test
    void allNaNFitsTheIdentity() {
        StandardScaler scaler = StandardScaler.fit(new double[] {Double.NaN, Double.NaN});

        assertThat(scaler.transform(3.5)).isEqualTo(3.5);
        assertThat(StandardScaler.fit(new double[0]).inverse(-2.0)).isEqualTo(-2.0);
    }

    @Test
    void rejectsANonPositiveStd() {
        assertThatThrownBy(() -> new StandardScaler(0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scale must be finite and > 0");
    }
}
