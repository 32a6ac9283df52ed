package dev.anomaly.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class NabLabelsTest {

    private static NabLabels read(String json) throws IOException {
        return NabLabels.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parsesTimestampsWithAndWithoutFraction() {
        assertThat(NabLabels.parseTimestamp("2014-04-10 07:15:00.000000"))
                .isEqualTo(LocalDateTime.of(2014, 4, 10, 7, 15, 0));
        assertThat(NabLabels.parseTimestamp("2014-04-10 07:15:00")).isEqualTo(LocalDateTime.of(2014, 4, 10, 7, 15));
        assertThat(NabLabels.parseTimestamp("2011-07-11 04:00:01.5"))
                .isEqualTo(LocalDateTime.of(2011, 7, 11, 4, 0, 1, 500_000_000));
    }

    @Test
    void rejectsOtherTimestampFormats() {
        assertThatThrownBy(() -> NabLabels.parseTimestamp("2014-04-10T07:15:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yyyy-MM-dd HH:mm:ss");
    }

    @Test
    void readsABareWindowsMap() throws IOException {
        NabLabels labels = read("""
                {"a/x.csv": [["2014-01-01 00:00:00.000000", "2014-01-01 01:00:00.000000"]], "b/y.csv": []}""");

        assertThat(labels.files()).containsExactly("a/x.csv", "b/y.csv");
        assertThat(labels.windowCount()).isEqualTo(1);
        assertThat(labels.windows("a/x.csv")).containsExactly(
                new NabWindow(LocalDateTime.of(2014, 1, 1, 0, 0), LocalDateTime.of(2014, 1, 1, 1, 0)));
        assertThat(labels.windows("b/y.csv")).isEmpty();
    }

    @Test
    void readsTheWindowsMemberOfACombinedFile() throws IOException {
        NabLabels labels = read("""
                {"windows": {"a/x.csv": [["2014-01-01 00:00:00", "2014-01-01 01:00:00"]]},
                 "labels": {"a/x.csv": ["2014-01-01 00:30:00"]}}""");

        assertThat(labels.files()).containsExactly("a/x.csv");
    }

    @Test
    void rejectsMalformedWindowsAndUnknownFiles() throws IOException {
        assertThatThrownBy(() -> read("{\"a.csv\": [[\"2014-01-01 00:00:00\"]]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[start, end]");
        assertThatThrownBy(() -> read("{\"a.csv\": [[\"2014-01-02 00:00:00\", \"2014-01-01 00:00:00\"]]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before its start");
        assertThatThrownBy(() -> read("{\"a.csv\": []}").windows("missing.csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.csv");
    }
}
