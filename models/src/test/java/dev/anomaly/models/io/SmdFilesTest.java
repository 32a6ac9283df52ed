package dev.anomaly.models.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading SMD matrices and labels, and the timestamped NAB series, with errors that name file and line. */
class SmdFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsAMatrixColumnByColumnWithMissingValuesAsNaN() throws IOException {
        Path f = write("m.txt", "0.1,0.2,3\n0.4,,NaN\n\n0.7,0.8,9\n");
        SmdMatrix m = SmdFiles.readMatrix(f);
        assertThat(m.rowCount()).isEqualTo(3);
        assertThat(m.columnCount()).isEqualTo(3);
        assertThat(m.column(0)).containsExactly(0.1, 0.4, 0.7);
        assertThat(m.column(1)[1]).isNaN();
        assertThat(m.column(2)[1]).isNaN();
    }

    @Test
    void raggedRowsBadNumbersAndBadLabelsAreErrorsNamingTheLine() throws IOException {
        assertThatThrownBy(() -> SmdFiles.readMatrix(write("r.txt", "1,2\n1,2,3\n")))
                .isInstanceOf(SeriesFormatException.class).hasMessageContaining("line 2 has 3 fields, expected 2");
        assertThatThrownBy(() -> SmdFiles.readMatrix(write("x.txt", "1,2\n1,abc\n")))
                .isInstanceOf(SeriesFormatException.class).hasMessageContaining("line 2").hasMessageContaining("abc");
        assertThatThrownBy(() -> SmdFiles.readLabels(write("l.txt", "0\n1\n2\n")))
                .isInstanceOf(SeriesFormatException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> SmdFiles.readMatrix(dir.resolve("none.txt")))
                .isInstanceOf(SeriesFormatException.class).hasMessageContaining("does not exist");
        assertThat(SmdFiles.readLabels(write("ok.txt", "0\n1\n1\n0\n"))).containsExactly(0, 1, 1, 0);
    }

    @Test
    void timestampedSeriesKeepsTimestampAndValueTextVerbatim() throws IOException {
        Path f = write("s.csv", "timestamp,value\n2014-04-01 00:00:00,-1.03989471325e-05\n2014-04-01 00:05:00,\n");
        TimestampedSeries s = TimestampedSeries.read(f);
        assertThat(s.timestamps()).containsExactly("2014-04-01 00:00:00", "2014-04-01 00:05:00");
        assertThat(s.valueTexts()).containsExactly("-1.03989471325e-05", "");
        assertThat(s.values()[0]).isEqualTo(-1.03989471325e-05);
        assertThat(s.values()[1]).isNaN();
        assertThatThrownBy(() -> TimestampedSeries.read(write("h.csv", "time,v\n1,2\n")))
                .isInstanceOf(SeriesFormatException.class).hasMessageContaining("'timestamp'");
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }
}
