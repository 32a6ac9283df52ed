package dev.anomaly.sources.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CsvTimestampsTest {

    // 2014-04-01T00:00:00Z = 1396310400 s, computed with `date -u -d 2014-04-01 +%s`.
    private static final long APRIL_1_2014_MS = 1_396_310_400_000L;

    @Test
    void nabTimestampsAreUtc() {
        assertThat(CsvTimestamps.parseMillis("2014-04-01 00:00:00")).isEqualTo(APRIL_1_2014_MS);
        assertThat(CsvTimestamps.parseMillis("2014-04-01 00:05:00")).isEqualTo(APRIL_1_2014_MS + 300_000L);
    }

    @Test
    void localDateTimesWithTOrFractionOrWithoutSecondsAreUtc() {
        assertThat(CsvTimestamps.parseMillis("2014-04-01T00:00:00")).isEqualTo(APRIL_1_2014_MS);
        assertThat(CsvTimestamps.parseMillis("2014-04-01 00:00:01.250")).isEqualTo(APRIL_1_2014_MS + 1_250L);
        assertThat(CsvTimestamps.parseMillis("2014-04-01 00:01")).isEqualTo(APRIL_1_2014_MS + 60_000L);
    }

    @Test
    void isoWithOffsetOrZIsConverted() {
        assertThat(CsvTimestamps.parseMillis("2014-04-01T00:00:00Z")).isEqualTo(APRIL_1_2014_MS);
        assertThat(CsvTimestamps.parseMillis("2014-04-01T02:00:00+02:00")).isEqualTo(APRIL_1_2014_MS);
        assertThat(CsvTimestamps.parseMillis("2014-03-31T19:00:00-05:00")).isEqualTo(APRIL_1_2014_MS);
        assertThat(CsvTimestamps.parseMillis("2014-04-01 02:00:00+02:00")).isEqualTo(APRIL_1_2014_MS);
    }

    @Test
    void epochSecondsAndMillisAreTellApartByMagnitude() {
        assertThat(CsvTimestamps.parseMillis("1396310400")).isEqualTo(APRIL_1_2014_MS);
        assertThat(CsvTimestamps.parseMillis("1396310400000")).isEqualTo(APRIL_1_2014_MS);
        assertThat(CsvTimestamps.parseMillis("1396310400.5")).isEqualTo(APRIL_1_2014_MS + 500L);
        assertThat(CsvTimestamps.parseMillis("0")).isZero();
    }

    @Test
    void garbageIsRejectedWithTheText() {
        assertThatThrownBy(() -> CsvTimestamps.parseMillis("yesterday")).hasMessageContaining("'yesterday'");
        assertThatThrownBy(() -> CsvTimestamps.parseMillis("2014-13-01 00:00:00"))
                .hasMessageContaining("'2014-13-01 00:00:00'");
        assertThatThrownBy(() -> CsvTimestamps.parseMillis("12ab")).hasMessageContaining("'12ab'");
        assertThatThrownBy(() -> CsvTimestamps.parseMillis("")).isInstanceOf(IllegalArgumentException.class);
    }
}
