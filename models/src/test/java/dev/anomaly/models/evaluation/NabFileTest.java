package dev.anomaly.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NabFileTest {

    private static final LocalDateTime T0 = LocalDateTime.of(2014, 1, 1, 0, 0);

    private static LocalDateTime t(int minutes) {
        return T0.plusMinutes(minutes);
    }

    @Test
    void probationIsFifteenPercentFlooredAndCappedAt750() {
        // floor(0.15*20) = 3, floor(0.15*1000) = 150, floor(0.15*6 = 0.9) = 0, min(floor(0.15*10000), 750) = 750.
        assertThat(NabFile.probationLength(20)).isEqualTo(3);
        assertThat(NabFile.probationLength(1000)).isEqualTo(150);
        assertThat(NabFile.probationLength(6)).isZero();
        assertThat(NabFile.probationLength(5000)).isEqualTo(750);
        assertThat(NabFile.probationLength(10000)).isEqualTo(750);
    }

    @Test
    void locatesWindowsOnFirstOccurrenceOfEachTimestamp() {
        // Rows' minutes: 0 1 2 2 3 4 4 5; window [2, 4] starts at row 2 (first 2) and ends at row 5 (first 4).
        int[] minutes = {0, 1, 2, 2, 3, 4, 4, 5};
        List<NabRow> rows = new ArrayList<>();
        for (int m : minutes) {
            rows.add(new NabRow(t(m), m == 5));
        }

        NabFile file = NabFile.ofRows("f", rows, List.of(new NabWindow(t(2), t(4))));

        assertThat(file.windows()).containsExactly(new NabRowWindow(2, 5));
        assertThat(file.rowCount()).isEqualTo(8);
        assertThat(file.score(7)).isEqualTo(1.0);
        assertThat(file.score(6)).isEqualTo(0.0);
    }

    @Test
    void sortsWindowsByPosition() {
        NabFile file = NabFile.ofRowDecisions("f", new boolean[10],
                List.of(new NabRowWindow(6, 7), new NabRowWindow(1, 2)));

        assertThat(file.windows()).containsExactly(new NabRowWindow(1, 2), new NabRowWindow(6, 7));
    }

    @Test
    void rejectsWindowsThatDoNotFitTheRows() {
        List<NabRow> rows = List.of(new NabRow(t(0), false), new NabRow(t(1), false));
        assertThatThrownBy(() -> NabFile.ofRows("f", rows, List.of(new NabWindow(t(1), t(9)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no row has timestamp");
        assertThatThrownBy(() -> NabFile.ofRowDecisions("f", new boolean[5],
                List.of(new NabRowWindow(0, 2), new NabRowWindow(2, 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> NabFile.ofRowDecisions("f", new boolean[5], List.of(new NabRowWindow(3, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("past the last row");
        assertThatThrownBy(() -> NabFile.ofRowScores("f", new double[] {0.5, 1.5}, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 1]");
    }
}
