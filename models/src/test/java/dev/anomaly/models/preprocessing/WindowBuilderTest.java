package dev.anomaly.models.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WindowBuilderTest {

    @Test
    void buildsOnePairPerPositionAfterTheFirstWindow() {
        Windows windows = new WindowBuilder(3).build(new double[] {0, 1, 2, 3, 4, 5});

        assertThat(windows.size()).isEqualTo(3);
        assertThat(windows.seqLen()).isEqualTo(3);
        assertThat(windows.x()[0]).containsExactly(0, 1, 2);
        assertThat(windows.x()[2]).containsExactly(2, 3, 4);
        assertThat(windows.y()).containsExactly(3, 4, 5);
    }

    @Test
    void aSeriesNoLongerThanTheWindowGivesNothing() {
        WindowBuilder builder = new WindowBuilder(4);

        assertThat(builder.build(new double[] {1, 2, 3, 4}).size()).isZero();
        assertThat(builder.build(new double[0]).seqLen()).isZero();
    }

    @Test
    void skipsEveryPairThatTouchesANaN() {
        // series of 10 with NaN at index 5; windows of 2 use indices s..s+2, s = 0..7
        double[] series = {0, 1, 2, 3, 4, Double.NaN, 6, 7, 8, 9};

        Windows windows = new WindowBuilder(2).build(series);

        // s = 3, 4, 5 touch index 5 → 8 - 3 = 5 pairs remain
        assertThat(windows.size()).isEqualTo(5);
        assertThat(windows.y()).containsExactly(2, 3, 4, 8, 9);
        assertThat(windows.x()[3]).containsExactly(6, 7);
    }

    @Test
    void windowsAreIndependentCopies() {
        double[] series = {1, 2, 3, 4};
        Windows windows = new WindowBuilder(2).build(series);

        series[1] = 99;

        assertThat(windows.x()[0]).containsExactly(1, 2);
    }

    @Test
    void rejectsANonPositiveLength() {
        assertThatThrownBy(() -> new WindowBuilder(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seqLen must be >= 1, got 0");
    }
}
