package dev.anomaly.models.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RobustScalerTest {

    @Test
    void fitsMedianAndScaledMad() {
        // median 3; absolute deviations 2,1,0,1,97 → MAD 1
        RobustScaler scaler = RobustScaler.fit(new double[] {1, 2, 3, 4, 100});

        assertThat(scaler.median()).isEqualTo(3.0);
        assertThat(scaler.scale()).isEqualTo(RobustScaler.MAD_TO_SIGMA);
    }

    @Test
    void medianOfAnEvenCountAveragesTheMiddlePair() {
        assertThat(RobustScaler.fit(new double[] {4, 1, 3, 2}).median()).isEqualTo(2.5);
    }

    @Test
    void aSpikeBarelyMovesTheFit() {
        double[] calm = {10, 11, 9, 10, 12, 8, 10, 11, 9, 10};
        double[] spiky = calm.clone();
        spiky[4] = 1e6;

        RobustScaler robust = RobustScaler.fit(spiky);

        assertThat(robust.median()).isEqualTo(RobustScaler.fit(calm).median());
        assertThat(robust.scale()).isLessThan(3.0);
        assertThat(StandardScaler.fit(spiky).std()).isGreaterThan(1e5);
    }

    @Test
    void roundTripsASeries() {
        double[] series = {0.5, 1.5, -3, 8, 2.25, Double.NaN};
        Scaler scaler = ScalerType.ROBUST.fit(series);

        double[] back = scaler.inverse(scaler.transform(series));

        assertThat(back[5]).isNaN();
        for (int i = 0; i < 5; i++) {
            assertThat(back[i]).isCloseTo(series[i], within(1e-12));
        }
    }

    @Test
    void zeroMadFallsBackToTheStdAroundTheMedian() {
        // mostly idle counter: MAD is 0, the std around the median (0) is sqrt(2*25/5)
        RobustScaler scaler = RobustScaler.fit(new double[] {0, 0, 0, 5, 5});

        assertThat(scaler.median()).isZero();
        assertThat(scaler.scale()).isCloseTo(Math.sqrt(10), within(1e-12));
    }

    @Test
    void constantSeriesGetsScaleOne() {
        RobustScaler scaler = RobustScaler.fit(new double[] {4, 4, 4, Double.NaN});

        assertThat(scaler.scale()).isEqualTo(1.0);
        assertThat(scaler.transform(4)).isZero();
        assertThat(scaler.transform(Double.NaN)).isNaN();
    }

    @Test
    void allNaNFitsTheIdentity() {
        Scaler scaler = ScalerType.ROBUST.fit(new double[] {Double.NaN});

        assertThat(scaler.center()).isZero();
        assertThat(scaler.scale()).isEqualTo(1.0);
    }
}
