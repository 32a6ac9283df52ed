package dev.anomaly.sources.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.anomaly.models.io.TimestampedSeries;
import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The replay source in a real (mini) cluster, with generic types disabled, and across a failure and restore. */
class ReplaySourceMiniClusterTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    private static StreamExecutionEnvironment env(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        return env;
    }

    private static List<Sample> collectAll(DataStream<Sample> stream) throws Exception {
        List<Sample> out = new ArrayList<>();
        try (CloseableIterator<Sample> it = stream.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void replaysANabDirectoryLikeTheModelsReaderReadsIt() throws Exception {
        Path nab = Path.of(System.getProperty("anomaly.shared.dir", "../../shared"), "data", "nab", "data",
                "realAdExchange");
        ReplaySource source = ReplaySource.builder().directory(nab, "exchange").build();
        List<Sample> out = collectAll(env(2).fromSource(source, WatermarkStrategy.noWatermarks(), "replay"));

        Map<String, List<Sample>> byFile = out.stream().collect(Collectors.groupingBy(s -> s.labels().get("file")));
        Set<String> expectedFiles = new TreeSet<>();
        try (var files = Files.list(nab)) {
            files.filter(p -> p.toString().endsWith(".csv")).forEach(p -> {
                String name = p.getFileName().toString();
                expectedFiles.add(name.substring(0, name.length() - 4));
            });
        }
        assertThat(byFile.keySet()).containsExactlyInAnyOrderElementsOf(expectedFiles);
        for (String name : expectedFiles) {
            TimestampedSeries expected = TimestampedSeries.read(nab.resolve(name + ".csv"));
            List<Sample> got = byFile.get(name);
            assertThat(got).as(name).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                long ts = LocalDateTime.parse(expected.timestamps().get(i).replace(' ', 'T'))
                        .toInstant(ZoneOffset.UTC).toEpochMilli();
                Sample s = got.get(i);
                assertThat(s.timestampMs()).as("%s row %d", name, i).isEqualTo(ts);
                assertThat(s.value()).as("%s row %d", name, i).isEqualTo(expected.values()[i]);
                assertThat(s.feature()).isEqualTo("exchange");
                assertThat(s.metric()).isEqualTo("exchange");
                assertThat(s.seriesId()).isEqualTo("exchange{file=\"" + name + "\"}");
            }
        }
    }

    @Test
    void skipsMalformedLinesWithoutFailingTheJob() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "timestamp,value\n1396310400,1\nbroken\n1396310460,x\n1396310520,\n1396310580,4\n");
        List<Sample> out = collectAll(env(1).fromSource(ReplaySource.builder().file(f, "f", Map.of()).build(),
                WatermarkStrategy.noWatermarks(), "replay"));
        assertThat(out).extracting(Sample::timestampMs).containsExactly(1_396_310_400_000L, 1_396_310_520_000L,
                1_396_310_580_000L);
        assertThat(out.get(1).value()).isNaN();
        assertThat(out.get(2).value()).isEqualTo(4.0);
    }

    // State of the failing mapper, static because the cluster runs in this JVM and a restart makes a new instance.
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicLong SEEN_TOTAL = new AtomicLong();
    static final AtomicLong SEEN_AT_FAILURE = new AtomicLong();
    static final Map<Long, Long> SEEN_AT_CHECKPOINT = new ConcurrentHashMap<>();

    /**
     * Passes samples through and throws once, the first time it sees {@value #AFTER} samples more than at a completed
     * checkpoint, so the job restores from a checkpoint taken in the middle of the file.
     */
    static final class FailOnceAfterCheckpoint implements MapFunction<Sample, Sample>, CheckpointedFunction,
            CheckpointListener {
        static final long AFTER = 50;
        private long seen;
        private final Map<Long, Long> pending = new HashMap<>();
        private long seenAtCompleted = -1;

        @Override
        public Sample map(Sample value) {
            seen++;
            SEEN_TOTAL.incrementAndGet();
            if (seenAtCompleted > 0 && seen >= seenAtCompleted + AFTER && FAILED.compareAndSet(false, true)) {
                SEEN_AT_FAILURE.set(seen);
                throw new IllegalStateException("injected failure after " + seen + " samples");
            }
            return value;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            pending.put(context.getCheckpointId(), seen);
            SEEN_AT_CHECKPOINT.put(context.getCheckpointId(), seen);
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            Long s = pending.remove(checkpointId);
            if (s != null) {
                seenAtCompleted = s;
            }
        }
    }

    @Test
    void aFailureAfterACheckpointRestoresTheOffsetAndOutputsEachSampleExactlyOnce() throws Exception {
        int lines = 1500;
        Path f = dir.resolve("long.csv");
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < lines; i++) {
            b.append(1_396_310_400L + 60L * i).append(',').append(i).append('\n');
        }
        Files.writeString(f, b.toString());
        FAILED.set(false);
        SEEN_TOTAL.set(0);
        SEEN_AT_FAILURE.set(0);
        SEEN_AT_CHECKPOINT.clear();

        StreamExecutionEnvironment env = env(1);
        env.enableCheckpointing(100);
        DataStream<Sample> samples = env.fromSource(ReplaySource.builder().file(f, "f", Map.of()).rate(500).build(),
                WatermarkStrategy.noWatermarks(), "replay").map(new FailOnceAfterCheckpoint());
        List<Sample> out = collectAll(samples);

        assertThat(FAILED).as("the failure was injected").isTrue();
        List<Double> values = new ArrayList<>();
        out.forEach(s -> values.add(s.value()));
        List<Double> expected = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            expected.add((double) i);
        }
        assertThat(values).as("each line exactly once, in order").containsExactlyElementsOf(expected);
        // The mapper saw the lines between the restored checkpoint and the failure twice, nothing else:
        // total = lines + (seen at failure - seen at the restored checkpoint), with that checkpoint mid-file.
        long replayed = SEEN_TOTAL.get() - lines;
        long restoredAt = SEEN_AT_FAILURE.get() - replayed;
        assertThat(restoredAt).as("restored offset").isPositive().isLessThan(SEEN_AT_FAILURE.get());
        assertThat(SEEN_AT_CHECKPOINT.values()).as("restored offset is a checkpointed count").contains(restoredAt);
    }
}
