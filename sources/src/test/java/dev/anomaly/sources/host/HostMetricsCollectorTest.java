package dev.anomaly.sources.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.anomaly.models.records.Sample;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two polls of a fake /proc whose counters moved by known amounts in a known time. */
class HostMetricsCollectorTest {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path root;
    private FakeProc fake;
    private final List<String> problems = new ArrayList<>();
    private HostMetricsCollector collector;

    @BeforeEach
    void firstReading() throws Exception {
        fake = new FakeProc(root);
        fake.stat(1000, 10, 300, 8000, 50, 0, 20, 5).meminfo(16_000_000, 12_000_000)
                .loadavg("0.52 0.58 0.59 1/389 12345").diskstats(2_000_000, 3_000_000).netdev(5_000_000, 1_000_000);
        collector = new HostMetricsCollector(fake.proc, fake.sys, "fakehost", EnumSet.allOf(HostFeature.class),
                (reason, detail) -> problems.add(reason + ": " + detail));
    }

    private static Map<String, Double> byId(List<Sample> samples) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Sample s : samples) {
            assertThat(out.put(s.seriesId(), s.value())).as("duplicate %s", s.seriesId()).isNull();
        }
        return out;
    }

    @Test
    void firstPollEmitsOnlyGauges() {
        List<Sample> first = collector.collect(10_000L, 100 * SECOND);
        assertThat(byId(first)).containsOnly(
                Map.entry("memory{instance=\"fakehost\",kind=\"available\"}", 12_000_000.0 * 1024),
                Map.entry("memory{instance=\"fakehost\",kind=\"used\"}", 4_000_000.0 * 1024),
                Map.entry("load{instance=\"fakehost\",period=\"1m\"}", 0.52),
                Map.entry("load{instance=\"fakehost\",period=\"5m\"}", 0.58),
                Map.entry("load{instance=\"fakehost\",period=\"15m\"}", 0.59));
        assertThat(first).allSatisfy(s -> assertThat(s.timestampMs()).isEqualTo(10_000L));
        assertThat(first).filteredOn(s -> s.feature().equals("memory")).extracting(Sample::metric)
                .containsOnly("host_memory_bytes");
        assertThat(first).filteredOn(s -> s.feature().equals("load")).extracting(Sample::metric)
                .containsOnly("host_load_average");
        assertThat(problems).isEmpty();
    }

    @Test
    void secondPollEmitsRatesFromTheDeltas() throws Exception {
        collector.collect(10_000L, 100 * SECOND);
        // 5 s later: cpu deltas user 300 nice 0 system 100 idle 500 iowait 50 irq 0 softirq 40 steal 10 = 1000;
        // vda read 10240 sectors = 5,242,880 B, written 2048 sectors = 1,048,576 B; eth0 +2,500,000 / +500,000 B.
        fake.stat(1300, 10, 400, 8500, 100, 0, 60, 15).meminfo(16_000_000, 11_000_000)
                .diskstats(2_010_240, 3_002_048).netdev(7_500_000, 1_500_000);
        List<Sample> second = collector.collect(15_000L, 105 * SECOND);
        Map<String, Double> v = byId(second);

        String[] modes = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};
        double[] percent = {30, 0, 10, 50, 5, 0, 4, 1};
        for (int i = 0; i < modes.length; i++) {
            assertThat(v.get("cpu{instance=\"fakehost\",mode=\"" + modes[i] + "\"}")).as(modes[i])
                    .isCloseTo(percent[i], within(1e-9));
        }
        assertThat(v.get("disk{device=\"vda\",direction=\"read\",instance=\"fakehost\"}"))
                .isCloseTo(5_242_880.0 / 5, within(1e-6));
        assertThat(v.get("disk{device=\"vda\",direction=\"write\",instance=\"fakehost\"}"))
                .isCloseTo(1_048_576.0 / 5, within(1e-6));
        assertThat(v.get("network{device=\"eth0\",direction=\"receive\",instance=\"fakehost\"}"))
                .isCloseTo(500_000.0, within(1e-6));
        assertThat(v.get("network{device=\"eth0\",direction=\"transmit\",instance=\"fakehost\"}"))
                .isCloseTo(100_000.0, within(1e-6));
        assertThat(v.get("memory{instance=\"fakehost\",kind=\"used\"}")).isEqualTo(5_000_000.0 * 1024);
        // Nothing for loop0, the partition vda1 or lo: 8 cpu + 2 disk + 2 network + 2 memory + 3 load.
        assertThat(v).hasSize(17);
        assertThat(second).filteredOn(s -> s.feature().equals("cpu")).extracting(Sample::metric)
                .containsOnly("host_cpu_utilisation_percent");
        assertThat(second).filteredOn(s -> s.feature().equals("disk")).extracting(Sample::metric)
                .containsOnly("host_disk_bytes_per_second");
        assertThat(second).filteredOn(s -> s.feature().equals("network")).extracting(Sample::metric)
                .containsOnly("host_network_bytes_per_second");
        assertThat(second).allSatisfy(s -> assertThat(s.labels()).containsEntry("instance", "fakehost"));
    }

    @Test
    void aCounterResetSkipsOneIntervalForThatSeriesOnly() throws Exception {
        collector.collect(10_000L, 100 * SECOND);
        fake.stat(1300, 10, 400, 8500, 100, 0, 60, 15).netdev(100, 1_500_000).diskstats(2_010_240, 3_002_048);
        Map<String, Double> v = byId(collector.collect(15_000L, 105 * SECOND));
        assertThat(v).doesNotContainKey("network{device=\"eth0\",direction=\"receive\",instance=\"fakehost\"}")
                .containsKey("network{device=\"eth0\",direction=\"transmit\",instance=\"fakehost\"}");
        fake.netdev(1100, 1_500_000);
        Map<String, Double> next = byId(collector.collect(20_000L, 110 * SECOND));
        assertThat(next.get("network{device=\"eth0\",direction=\"receive\",instance=\"fakehost\"}"))
                .isCloseTo(200.0, within(1e-9));
        // cpu counters did not move in the third poll: no cpu utilisation for it.
        assertThat(next.keySet()).noneMatch(k -> k.startsWith("cpu{"));
    }

    @Test
    void aMissingOrBrokenFileCostsOnlyItsFeature() throws Exception {
        Files.delete(fake.proc.resolve("net/dev"));
        fake.loadavg("garbage");
        List<Sample> first = collector.collect(10_000L, 100 * SECOND);
        assertThat(first).extracting(Sample::feature).containsOnly("memory");
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("proc_unreadable").contains("net/dev"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("proc_bad_format").contains("/proc/loadavg"));
    }
}
