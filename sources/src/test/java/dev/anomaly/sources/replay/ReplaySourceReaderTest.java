package dev.anomaly.sources.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on its own: exact output, malformed-line counters, and restore from a checkpointed split. */
class ReplaySourceReaderTest {

    private static final long T0 = 1_396_310_400_000L; // 2014-04-01T00:00:00Z
    private static final long MIN = 60_000L;
    private static final Map<String, String> LABELS = Map.of("file", "mixed");

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void writeFile() throws Exception {
        file = dir.resolve("mixed.csv");
        Files.writeString(file, String.join("\n",
                "timestamp,value",                  // line 1
                "2014-04-01 00:00:00,1.5",          // 2
                "2014-04-01 00:05:00,2",            // 3
                "2014-04-01 00:10:00,",             // 4  gap -> NaN
                "",                                 // 5  blank, skipped silently
                "2014-04-01 00:15:00,abc",          // 6  bad_value
                "noon,4",                           // 7  bad_timestamp
                "2014-04-01 00:25:00,5,6",          // 8  bad_columns
                "2014-04-01 00:30:00,6.25",         // 9
                "\"2014-04-01 00:35:00\",\"7\"")    // 10
                + "\n");
    }

    private static Sample sample(long ts, double v) {
        return Sample.of("cpu", "cpu", LABELS, ts, v);
    }

    private final List<Sample> all = List.of(sample(T0, 1.5), sample(T0 + 5 * MIN, 2.0),
            sample(T0 + 10 * MIN, Double.NaN), sample(T0 + 30 * MIN, 6.25), sample(T0 + 35 * MIN, 7.0));

    private ReplayFileSplit split() {
        return ReplaySource.builder().file(file, "cpu", LABELS).build().splits().get(0);
    }

    private static SourceReader<Sample, ReplayFileSplit> reader(MetricListener metrics, ReplayFileSplit split) {
        SourceReader<Sample, ReplayFileSplit> reader = new ReplaySource(List.of(split), 0, false)
                .createReader(ReaderDriver.context(metrics));
        reader.start();
        reader.addSplits(List.of(split));
        reader.notifyNoMoreSplits();
        return reader;
    }

    private static long malformed(MetricListener metrics, String reason) {
        return metrics.getCounter("anomaly_detector", "source", "reason", reason, "malformed")
                .map(Counter::getCount).orElse(0L);
    }

    @Test
    void emitsEverySampleWithItsTimestampAndCountsMalformedLines() throws Exception {
        MetricListener metrics = new MetricListener();
        ReaderDriver.CollectingOutput out = new ReaderDriver.CollectingOutput();
        try (SourceReader<Sample, ReplayFileSplit> reader = reader(metrics, split())) {
            assertThat(ReaderDriver.poll(reader, out, o -> false)).isTrue();
        }
        assertThat(out.samples).containsExactlyElementsOf(all);
        assertThat(out.timestamps).containsExactly(T0, T0 + 5 * MIN, T0 + 10 * MIN, T0 + 30 * MIN, T0 + 35 * MIN);
        assertThat(out.samples.get(0).seriesId()).isEqualTo("cpu{file=\"mixed\"}");
        assertThat(malformed(metrics, "bad_value")).isEqualTo(1);
        assertThat(malformed(metrics, "bad_timestamp")).isEqualTo(1);
        assertThat(malformed(metrics, "bad_columns")).isEqualTo(1);
    }

    @Test
    void aSplitWithOffsetKEmitsExactlyTheLinesAfterTheFirstK() throws Exception {
        // 4 lines consumed: lines 2..5 (the blank line included); 6, 7, 8 are malformed, 9 and 10 remain.
        MetricListener metrics = new MetricListener();
        ReaderDriver.CollectingOutput out = new ReaderDriver.CollectingOutput();
        try (SourceReader<Sample, ReplayFileSplit> reader = reader(metrics, split().withProgress(4, 0L))) {
            ReaderDriver.poll(reader, out, o -> false);
        }
        assertThat(out.samples).containsExactlyElementsOf(all.subList(3, 5));
        assertThat(malformed(metrics, "bad_value")).isEqualTo(1);

        ReaderDriver.CollectingOutput rest = new ReaderDriver.CollectingOutput();
        try (SourceReader<Sample, ReplayFileSplit> reader = reader(new MetricListener(), split().withProgress(7, 0L))) {
            ReaderDriver.poll(reader, rest, o -> false);
        }
        assertThat(rest.samples).containsExactlyElementsOf(all.subList(3, 5));

        ReplayFileSplit atEnd = split().withProgress(9, 0L);
        ReaderDriver.CollectingOutput none = new ReaderDriver.CollectingOutput();
        try (SourceReader<Sample, ReplayFileSplit> reader = reader(new MetricListener(), atEnd)) {
            assertThat(ReaderDriver.poll(reader, none, o -> false)).isTrue();
        }
        assertThat(none.samples).isEmpty();
    }

    @Test
    void restoringFromEverySnapshotPointGivesEachSampleExactlyOnce() throws Exception {
        ReplayFileSplitSerializer serializer = ReplayFileSplitSerializer.INSTANCE;
        for (int stopAt = 0; stopAt <= all.size(); stopAt++) {
            int n = stopAt;
            ReaderDriver.CollectingOutput first = new ReaderDriver.CollectingOutput();
            List<ReplayFileSplit> snapshot;
            try (SourceReader<Sample, ReplayFileSplit> reader = reader(new MetricListener(), split())) {
                boolean ended = ReaderDriver.poll(reader, first, o -> o.samples.size() >= n);
                snapshot = ended ? List.of() : reader.snapshotState(1L);
            }
            List<Sample> combined = new ArrayList<>(first.samples);
            for (ReplayFileSplit s : snapshot) {
                ReplayFileSplit restored = serializer.deserialize(serializer.getVersion(), serializer.serialize(s));
                ReaderDriver.CollectingOutput second = new ReaderDriver.CollectingOutput();
                try (SourceReader<Sample, ReplayFileSplit> reader = reader(new MetricListener(), restored)) {
                    assertThat(ReaderDriver.poll(reader, second, o -> false)).isTrue();
                }
                combined.addAll(second.samples);
            }
            assertThat(combined).as("stopped after %d samples", n).containsExactlyElementsOf(all);
        }
    }

    @Test
    void pacedReplayPlaysFilesSideBySideAtTheRate() throws Exception {
        Path other = dir.resolve("other.csv");
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 5; i++) {
            b.append(T0 / 1000 + i * 60).append(',').append(100 + i).append('\n');
        }
        Files.writeString(other, b.toString());
        ReplaySource source = ReplaySource.builder().file(file, "cpu", LABELS).file(other, "cpu",
                Map.of("file", "other")).rate(20).build();
        ReaderDriver.CollectingOutput out = new ReaderDriver.CollectingOutput();
        long start = System.nanoTime();
        try (SourceReader<Sample, ReplayFileSplit> reader = source.createReader(
                ReaderDriver.context(new MetricListener()))) {
            reader.start();
            reader.addSplits(source.splits());
            reader.notifyNoMoreSplits();
            ReaderDriver.poll(reader, out, o -> false);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // mixed.csv has 8 data lines (the blank line is not paced): the 8th is due 7/20 s after the first.
        assertThat(seconds).isGreaterThanOrEqualTo(0.3);
        assertThat(out.samples).hasSize(10);
        List<String> firstFour = out.samples.subList(0, 4).stream().map(s -> s.labels().get("file")).toList();
        assertThat(firstFour).contains("mixed", "other");
    }

    @Test
    void shiftToNowMovesTheLastSampleToNowAndKeepsTheSpacing() throws Exception {
        ReplaySource source = ReplaySource.builder().file(file, "cpu", LABELS).shiftToNow(true).build();
        ReaderDriver.CollectingOutput out = new ReaderDriver.CollectingOutput();
        long before = System.currentTimeMillis();
        List<ReplayFileSplit> snapshot;
        try (SourceReader<Sample, ReplayFileSplit> reader = source.createReader(
                ReaderDriver.context(new MetricListener()))) {
            reader.start();
            reader.addSplits(source.splits());
            reader.notifyNoMoreSplits();
            ReaderDriver.poll(reader, out, o -> o.samples.size() >= 2);
            snapshot = reader.snapshotState(1L);
        }
        long after = System.currentTimeMillis();
        long shift = out.samples.get(0).timestampMs() - T0;
        assertThat(T0 + 35 * MIN + shift).isBetween(before, after);
        assertThat(out.samples.get(1).timestampMs() - out.samples.get(0).timestampMs()).isEqualTo(5 * MIN);
        assertThat(snapshot).singleElement().satisfies(s -> assertThat(s.shiftMs()).isEqualTo(shift));

        // A restore keeps the shift it checkpointed, however much later it happens.
        ReaderDriver.CollectingOutput rest = new ReaderDriver.CollectingOutput();
        try (SourceReader<Sample, ReplayFileSplit> reader = reader(new MetricListener(), snapshot.get(0))) {
            ReaderDriver.poll(reader, rest, o -> false);
        }
        assertThat(rest.samples.get(rest.samples.size() - 1).timestampMs()).isEqualTo(T0 + 35 * MIN + shift);
    }
}
