package dev.anomaly.sources.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The host metrics source in a (mini) cluster with generic types disabled: on a fake /proc and on this machine's. */
class HostMetricsSourceMiniClusterTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static StreamExecutionEnvironment env(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        return env;
    }

    /** The samples of the first {@code polls} complete polls (a poll is complete once a later one starts). */
    private static TreeMap<Long, List<Sample>> firstPolls(HostMetricsSource source, int parallelism, int polls)
            throws Exception {
        TreeMap<Long, List<Sample>> byTime = new TreeMap<>();
        try (CloseableIterator<Sample> it = env(parallelism)
                .fromSource(source, WatermarkStrategy.noWatermarks(), "host").executeAndCollect()) {
            while (byTime.size() <= polls && it.hasNext()) {
                Sample s = it.next();
                byTime.computeIfAbsent(s.timestampMs(), t -> new ArrayList<>()).add(s);
            }
        }
        byTime.remove(byTime.lastKey());
        return byTime;
    }

    @Test
    void fakeProcGivesGaugesThenRatesOncePerPollEvenWithTwoSubtasks(@TempDir Path root) throws Exception {
        FakeProc fake = new FakeProc(root);
        fake.stat(1000, 10, 300, 8000, 50, 0, 20, 5).meminfo(16_000_000, 12_000_000)
                .loadavg("0.52 0.58 0.59 1/389 12345").diskstats(2_000_000, 3_000_000).netdev(5_000_000, 1_000_000);
        HostMetricsSource source = HostMetricsSource.builder().procRoot(fake.proc).sysRoot(fake.sys)
                .interval(Duration.ofMillis(200)).build();
        TreeMap<Long, List<Sample>> polls = firstPolls(source, 2, 2);

        assertThat(polls).hasSize(2);
        long t1 = polls.firstKey();
        long t2 = polls.lastKey();
        assertThat(t1 % 200).isZero();
        assertThat(t2 % 200).isZero();
        assertThat(t2).isGreaterThan(t1);
        assertThat(polls.get(t1)).extracting(Sample::seriesId).containsExactlyInAnyOrder(
                "memory{instance=\"fakehost\",kind=\"available\"}", "memory{instance=\"fakehost\",kind=\"used\"}",
                "load{instance=\"fakehost\",period=\"1m\"}", "load{instance=\"fakehost\",period=\"5m\"}",
                "load{instance=\"fakehost\",period=\"15m\"}");
        // The counters did not move: rates 0, and no cpu utilisation (no jiffies passed).
        List<Sample> second = polls.get(t2);
        assertThat(second).extracting(Sample::seriesId).doesNotHaveDuplicates().hasSize(9);
        assertThat(second).filteredOn(s -> s.metric().endsWith("per_second")).hasSize(4)
                .allSatisfy(s -> assertThat(s.value()).isZero());
        assertThat(second).extracting(Sample::feature).doesNotContain("cpu");
    }

    @Test
    void thisMachinesProcGivesEveryFeatureInSaneRanges() throws Exception {
        Path proc = Path.of("/proc");
        HostMetricsSource source = HostMetricsSource.builder().interval(Duration.ofMillis(250)).build();
        TreeMap<Long, List<Sample>> polls = firstPolls(source, 1, 2);
        assertThat(polls).hasSize(2);
        List<Sample> second = polls.lastEntry().getValue();
        Map<String, List<Sample>> byFeature = second.stream().collect(Collectors.groupingBy(Sample::feature));

        Set<String> expected = new HashSet<>(Set.of("cpu", "memory", "load"));
        if (hasNonLoopbackInterface(proc)) {
            expected.add("network");
        }
        if (hasWholeDiskInDiskstats(proc)) {
            expected.add("disk");
        }
        assertThat(byFeature.keySet()).isEqualTo(expected);

        String hostname = Files.readString(proc.resolve("sys/kernel/hostname")).trim();
        assertThat(second).allSatisfy(s -> assertThat(s.labels()).containsEntry("instance", hostname));

        List<Sample> cpu = byFeature.get("cpu");
        assertThat(cpu).extracting(s -> s.labels().get("mode")).containsExactlyInAnyOrderElementsOf(CpuTimes.MODES);
        assertThat(cpu).allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 100.0));
        assertThat(cpu.stream().mapToDouble(Sample::value).sum()).isCloseTo(100.0, within(1e-6));

        long memTotalKb = Long.parseLong(Files.readAllLines(proc.resolve("meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow().replaceAll("[^0-9]", ""));
        double used = value(byFeature.get("memory"), "kind", "used");
        double available = value(byFeature.get("memory"), "kind", "available");
        assertThat(used + available).isEqualTo(memTotalKb * 1024.0);
        assertThat(available).isPositive();

        assertThat(byFeature.get("load")).extracting(s -> s.labels().get("period"))
                .containsExactlyInAnyOrder("1m", "5m", "15m");
        assertThat(byFeature.get("load")).allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 10_000.0));
        for (String f : List.of("disk", "network")) {
            assertThat(byFeature.getOrDefault(f, List.of())).allSatisfy(s -> {
                assertThat(s.value()).isBetween(0.0, 1e12);
                assertThat(s.labels()).containsKeys("device", "direction");
                assertThat(s.labels().get("device")).isNotEqualTo("lo").doesNotStartWith("loop");
            });
        }
    }

    private static double value(List<Sample> samples, String label, String labelValue) {
        return samples.stream().filter(s -> labelValue.equals(s.labels().get(label))).findFirst().orElseThrow()
                .value();
    }

    private static boolean hasNonLoopbackInterface(Path proc) throws Exception {
        return Files.readAllLines(proc.resolve("net/dev")).stream().filter(l -> l.contains(":") && !l.contains("|"))
                .map(l -> l.substring(0, l.indexOf(':')).trim()).anyMatch(n -> !n.equals("lo"));
    }

    private static boolean hasWholeDiskInDiskstats(Path proc) throws Exception {
        Set<String> sysBlock = new HashSet<>();
        try (var entries = Files.list(Path.of("/sys/block"))) {
            entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("loop") && !n.startsWith("ram"))
                    .forEach(sysBlock::add);
        }
        return Files.readAllLines(proc.resolve("diskstats")).stream().map(l -> l.trim().split("\\s+"))
                .anyMatch(f -> f.length >= 14 && sysBlock.contains(f[2]));
    }
}
