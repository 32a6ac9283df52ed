package dev.anomaly.sources.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The /proc parsers, on excerpts of real files (Linux 6.x). */
class ProcParsersTest {

    @Nested
    class ProcStat {
        @Test
        void readsTheAggregateLineNotPerCpuLines() {
            String text = "cpu  1364573 7 85481 523784 573 3 184 1072 11 12\n"
                    + "cpu0 669326 0 41994 275602 147 0 31 534 0 0\n"
                    + "intr 123 4 5\nctxt 99\n";
            assertThat(ProcStatParser.parse(text).jiffies())
                    .containsExactly(1364573, 7, 85481, 523784, 573, 3, 184, 1072);
        }

        @Test
        void oldKernelsWithoutStealGetZero() {
            assertThat(ProcStatParser.parse("cpu 10 20 30 40\n").jiffies()).containsExactly(10, 20, 30, 40, 0, 0, 0, 0);
        }

        @Test
        void brokenFilesAreErrorsNamingTheFile() {
            assertThatThrownBy(() -> ProcStatParser.parse("cpu0 1 2 3 4\n")).isInstanceOf(ProcFormatException.class)
                    .hasMessageContaining("/proc/stat").hasMessageContaining("no aggregate");
            assertThatThrownBy(() -> ProcStatParser.parse("cpu 1 2 x 4\n")).hasMessageContaining("'x'");
            assertThatThrownBy(() -> ProcStatParser.parse("cpu 1 2\n")).hasMessageContaining("fewer than 4");
        }
    }

    @Nested
    class CpuPercent {
        @Test
        void percentIsEachModesShareOfTheTotalDelta() {
            CpuTimes a = new CpuTimes(new long[] {100, 0, 50, 800, 10, 0, 5, 0});
            CpuTimes b = new CpuTimes(new long[] {130, 0, 60, 850, 10, 0, 10, 0}); // deltas 30,0,10,50,0,0,5,0 = 95
            double[] p = b.percentSince(a);
            assertThat(p).containsExactly(new double[] {3000.0 / 95, 0, 1000.0 / 95, 5000.0 / 95, 0, 0, 500.0 / 95, 0},
                    within(1e-12));
            assertThat(p[0] + p[2] + p[3] + p[6]).isCloseTo(100.0, within(1e-9));
        }

        @Test
        void noTimeOrACounterGoingBackGivesNothing() {
            CpuTimes a = new CpuTimes(new long[] {100, 0, 50, 800, 10, 0, 5, 0});
            assertThat(a.percentSince(a)).isNull();
            assertThat(a.percentSince(new CpuTimes(new long[] {101, 0, 0, 0, 0, 0, 0, 0}))).isNull();
        }
    }

    @Nested
    class MemInfo {
        @Test
        void kilobytesBecomeBytesAndCountsStay() {
            Map<String, Long> m = MemInfoParser.parse("MemTotal:       24683656 kB\nMemFree:        18036248 kB\n"
                    + "MemAvailable:   20181916 kB\nHugePages_Total:       3\nnonsense line\n");
            assertThat(m).containsEntry("MemTotal", 24683656L * 1024).containsEntry("MemAvailable", 20181916L * 1024)
                    .containsEntry("HugePages_Total", 3L).hasSize(4);
            assertThat(MemInfoParser.availableAndUsed(m))
                    .containsExactly(20181916L * 1024, (24683656L - 20181916L) * 1024);
        }

        @Test
        void missingMemAvailableIsAnError() {
            assertThatThrownBy(() -> MemInfoParser.availableAndUsed(MemInfoParser.parse("MemTotal: 10 kB\n")))
                    .isInstanceOf(ProcFormatException.class).hasMessageContaining("MemAvailable");
        }
    }

    @Nested
    class LoadAvg {
        @Test
        void threeAverages() {
            assertThat(LoadAvgParser.parse("12.87 6.17 3.52 4/536 8485\n")).containsExactly(12.87, 6.17, 3.52);
        }

        @Test
        void garbageIsAnError() {
            assertThatThrownBy(() -> LoadAvgParser.parse("1.0 2.0\n")).isInstanceOf(ProcFormatException.class);
            assertThatThrownBy(() -> LoadAvgParser.parse("1.0 x 2.0 1/2 3\n")).hasMessageContaining("'x'");
            assertThatThrownBy(() -> LoadAvgParser.parse("1.0 -2 2.0 1/2 3\n")).hasMessageContaining("'-2'");
        }
    }

    @Nested
    class DiskStats {
        static final String TEXT = """
                   7       0 loop0 10 0 20 0 0 0 0 0 0 0 0 0 0 0 0 0 0
                 253       0 vda 48920 12683 3151158 23196 121730 104436 5471232 141467 0 110700 174233 0 0 0 0 8003 9569
                 253       1 vda1 48000 12000 3000000 23000 121000 104000 5400000 141000 0 110000 174000 0 0 0 0 0 0
                 259       0 nvme0n1 5 0 8 0 7
                 259       1 nvme0n1p1 5 0 8
                """;

        @Test
        void sectorsOfKeptDevicesBecomeBytesAndOnlyKeptDevicesAreChecked() {
            List<String> problems = new ArrayList<>();
            List<DeviceCounters> d = DiskStatsParser.parse(TEXT, java.util.Set.of("vda", "nvme0n1")::contains,
                    problems::add);
            assertThat(d).containsExactly(new DeviceCounters("vda", 3151158L * 512, 5471232L * 512));
            assertThat(problems).singleElement().asString().contains("nvme0n1").contains("8 fields");
        }

        @Test
        void badCountersSkipOnlyTheirLine() {
            List<String> problems = new ArrayList<>();
            List<DeviceCounters> d = DiskStatsParser.parse(
                    "253 0 vda 1 0 x 0 1 0 2 0 0 0 0 0\n253 16 vdb 1 0 4 0 1 0 6 0 0 0 0 0\n", n -> true, problems::add);
            assertThat(d).containsExactly(new DeviceCounters("vdb", 4 * 512, 6 * 512));
            assertThat(problems).singleElement().asString().contains("'x'");
        }
    }

    @Nested
    class NetDev {
        @Test
        void bytesPerInterfaceWithoutLoopback() {
            String text = """
                    Inter-|   Receive                                                |  Transmit
                     face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                        lo: 7300805   11927    0    0    0     0          0         0  7300805   11927    0    0    0     0       0          0
                      eth0: 427093715   10505    0    0    0     0          0         0   820483    7630    0    0    0     0       0          0
                    wlan0:12345678901 5 0 0 0 0 0 0 42 1 0 0 0 0 0 0
                    """;
            List<String> problems = new ArrayList<>();
            assertThat(NetDevParser.parse(text, problems::add)).containsExactly(
                    new DeviceCounters("eth0", 427093715L, 820483L), new DeviceCounters("wlan0", 12345678901L, 42L));
            assertThat(problems).isEmpty();
        }

        @Test
        void shortLinesAreReported() {
            List<String> problems = new ArrayList<>();
            assertThat(NetDevParser.parse("eth0: 1 2 3\n", problems::add)).isEmpty();
            assertThat(problems).singleElement().asString().contains("eth0").contains("3 counters");
        }
    }

    @Nested
    class Rates {
        @Test
        void firstReadingPrimesThenDeltaPerSecond() {
            CounterRates r = new CounterRates();
            assertThat(r.update(Map.of("a", 100L, "b", 5L), 1_000_000_000L)).isEmpty();
            Map<String, Double> rates = r.update(Map.of("a", 600L, "b", 5L), 3_000_000_000L);
            assertThat(rates).containsOnly(Map.entry("a", 250.0), Map.entry("b", 0.0));
        }

        @Test
        void aCounterGoingBackSkipsOneIntervalAndNewOnesPrime() {
            CounterRates r = new CounterRates();
            r.update(Map.of("a", 1000L), 0L);
            assertThat(r.update(Map.of("a", 10L, "new", 7L), 1_000_000_000L)).isEmpty();
            assertThat(r.update(Map.of("a", 30L, "new", 9L), 2_000_000_000L))
                    .containsOnly(Map.entry("a", 20.0), Map.entry("new", 2.0));
        }

        @Test
        void aVanishedCounterIsForgotten() {
            CounterRates r = new CounterRates();
            r.update(Map.of("a", 1L), 0L);
            r.update(Map.of(), 1_000_000_000L);
            assertThat(r.update(Map.of("a", 5L), 2_000_000_000L)).isEmpty();
        }
    }
}
