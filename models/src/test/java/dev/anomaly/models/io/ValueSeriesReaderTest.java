package dev.anomaly.models.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueSeriesReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheValueColumnOfANabStyleCsv() throws IOException {
        Path f = write("timestamp,value\r\n2014-04-01 00:00:00,1.5\r\n2014-04-01 00:05:00,-2e3\r\n");
        assertThat(ValueSeriesReader.read(f)).containsExactly(1.5, -2000.0);
    }

    @Test
    void findsTheValueColumnAnywhereInTheHeader() throws IOException {
        Path f = write("\"Value\",host\n3,a\n,b\nNaN,c\n");
        double[] v = ValueSeriesReader.read(f);
        assertThat(v[0]).isEqualTo(3.0);
        assertThat(v[1]).isNaN();
        assertThat(v[2]).isNaN();
    }

    @Test
    void readsOneNumberPerLine() throws IOException {
        assertThat(ValueSeriesReader.read(write("1\n2.5\n\n-3\n"))).containsExactly(1.0, 2.5, -3.0);
    }

    @Test
    void nonNumericValueNamesItsLine() throws IOException {
        Path f = write("timestamp,value\nx,1\ny,abc\n");
        assertThatThrownBy(() -> ValueSeriesReader.read(f)).isInstanceOf(SeriesFormatException.class)
                .hasMessageContaining("line 3").hasMessageContaining("'abc' is not a number");
    }

    @Test
    void headerWithoutValueColumnIsRejected() throws IOException {
        Path f = write("timestamp,reading\nx,1\n");
        assertThatThrownBy(() -> ValueSeriesReader.read(f)).isInstanceOf(SeriesFormatException.class)
                .hasMessageContaining("'value' column");
    }

    @Test
    void missingAndEmptyFilesAreRejected() throws IOException {
        assertThatThrownBy(() -> ValueSeriesReader.read(dir.resolve("nope.csv")))
                .isInstanceOf(SeriesFormatException.class).hasMessageContaining("does not exist");
        Path empty = write("timestamp,value\n");
        assertThatThrownBy(() -> ValueSeriesReader.read(empty)).hasMessageContaining("no values");
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "series", ".csv");
        Files.writeString(f, text);
        return f;
    }
}
