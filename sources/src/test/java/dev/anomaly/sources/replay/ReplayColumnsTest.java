package dev.anomaly.sources.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anomaly.models.io.SeriesFormatException;
import org.junit.jupiter.api.Test;

class ReplayColumnsTest {

    @Test
    void headerFindsColumnsInAnyOrderWithBomAndQuotes() {
        assertThat(ReplayColumns.fromHeader("\uFEFFtimestamp,value", "f")).isEqualTo(new ReplayColumns(0, 1, 2));
        assertThat(ReplayColumns.fromHeader("\"value\",\"label\",\"Timestamp\"", "f"))
                .isEqualTo(new ReplayColumns(2, 0, 3));
    }

    @Test
    void headerWithoutTheColumnsIsAnErrorNamingTheFile() {
        assertThatThrownBy(() -> ReplayColumns.fromHeader("time,val", "data.csv"))
                .isInstanceOf(SeriesFormatException.class).hasMessageContaining("data.csv")
                .hasMessageContaining("'time,val'");
        assertThatThrownBy(() -> ReplayColumns.fromHeader(null, "empty.csv"))
                .isInstanceOf(SeriesFormatException.class).hasMessageContaining("empty.csv");
    }

    @Test
    void goodLinesParse() {
        ReplayColumns c = new ReplayColumns(0, 1, 2);
        ReplayLine line = c.parse("2014-04-01 00:00:00,12.5", "f", 2);
        assertThat(line.isMalformed()).isFalse();
        assertThat(line.timestampMs()).isEqualTo(1_396_310_400_000L);
        assertThat(line.value()).isEqualTo(12.5);
        assertThat(c.parse("\"1396310400\",\"-3e2\"", "f", 3).value()).isEqualTo(-300.0);
    }

    @Test
    void emptyOrNanValuesAreKnownGaps() {
        ReplayColumns c = new ReplayColumns(0, 1, 2);
        ReplayLine empty = c.parse("2014-04-01 00:00:00,", "f", 2);
        assertThat(empty.isMalformed()).isFalse();
        assertThat(empty.value()).isNaN();
        assertThat(c.parse("2014-04-01 00:00:00,NaN", "f", 2).value()).isNaN();
    }

    @Test
    void malformedLinesCarryReasonAndLine() {
        ReplayColumns c = new ReplayColumns(0, 1, 2);
        ReplayLine cols = c.parse("2014-04-01 00:00:00,1,2", "f.csv", 7);
        assertThat(cols.reason()).isEqualTo(ReplayColumns.BAD_COLUMNS);
        assertThat(cols.detail()).contains("f.csv").contains("line 7");
        assertThat(c.parse("1", "f", 2).reason()).isEqualTo(ReplayColumns.BAD_COLUMNS);
        ReplayLine ts = c.parse("noon,1", "f.csv", 8);
        assertThat(ts.reason()).isEqualTo(ReplayColumns.BAD_TIMESTAMP);
        assertThat(ts.detail()).contains("line 8").contains("'noon'");
        ReplayLine value = c.parse("2014-04-01 00:00:00,abc", "f.csv", 9);
        assertThat(value.reason()).isEqualTo(ReplayColumns.BAD_VALUE);
        assertThat(value.detail()).contains("line 9").contains("'abc'");
        assertThat(c.parse("2014-04-01 00:00:00,Infinity", "f", 2).reason()).isEqualTo(ReplayColumns.BAD_VALUE);
    }
}
