package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The source against a real VictoriaMetrics, in a Flink MiniCluster with generic types disabled: history read,
 * chunked requests, restore from a split state, a bad query, and (in its own VictoriaMetrics) an outage.
 */
class VictoriaMetricsSourceTest {

    private static final SourceMetricsReporter METRICS = new SourceMetricsReporter();

    @RegisterExtension
    static final MiniClusterExtension FLINK = METRICS.miniCluster();

    @RegisterExtension
    static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();

    /** Generic types off (every type must have a real serializer), and optionally restarts. */
    static StreamExecutionEnvironment env(boolean restarts) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        if (restarts) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 100);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    /** {@code count} points of {@code metric{host=...}} every {@code stepMs} from {@code firstMs}. */
    static List<Sample> writeSeries(VictoriaMetricsProcess target, String feature, String metric, String host,
                                    long firstMs, long stepMs, int count, double offset) throws Exception {
        List<Sample> expected = new ArrayList<>();
        StringBuilder ts = new StringBuilder();
        StringBuilder vs = new StringBuilder();
        for (int i = 0; i < count; i++) {
            long t = firstMs + i * stepMs;
            double v = offset + i * 1.5;
            ts.append(i == 0 ? "" : ",").append(t);
            vs.append(i == 0 ? "" : ",").append(v);
            expected.add(Sample.of(feature, metric, Map.of("host", host), t, v));
        }
        target.importJsonLines("{\"metric\":{\"__name__\":\"" + metric + "\",\"host\":\"" + host + "\"},\"values\":["
                + vs + "],\"timestamps\":[" + ts + "]}\n");
        return expected;
    }

    /** Waits until VictoriaMetrics' search sees {@code total} raw points of {@code metric} (in the last hour). */
    static void awaitSearchable(VictoriaMetricsProcess target, String metric, int total) throws Exception {
        awaitSearchable(target, metric, total, System.currentTimeMillis() / 1000 + 120);
    }

    /** The same, counting the points up to {@code atSeconds} (later than the last one written). */
    static void awaitSearchable(VictoriaMetricsProcess target, String metric, int total, long atSeconds)
            throws Exception {
        target.awaitBody("/api/v1/query?query=sum(count_over_time(" + metric + "%5B2h%5D))&time=" + atSeconds,
                body -> body.contains("\"" + total + "\""), Duration.ofSeconds(30));
    }

    static void assertEachExactlyOnceInOrder(List<Sample> got, List<Sample> expected) {
        assertThat(new HashSet<>(got)).as("distinct samples").hasSize(got.size());
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
        Map<String, List<Long>> perSeries = got.stream().collect(Collectors.groupingBy(Sample::seriesId,
                Collectors.mapping(Sample::timestampMs, Collectors.toList())));
        perSeries.forEach((id, times) -> assertThat(times).as("time order of %s", id).isSorted());
    }

    @Test
    void readsImportedHistoryExactlyOnceInChunks() throws Exception {
        long step = 5_000;
        long first = StepGrid.lastAtOrBefore(System.currentTimeMillis() - 300_000, step);
        List<Sample> expected = new ArrayList<>();
        expected.addAll(writeSeries(VM.process(), "hist", "m_hist", "a", first, step, 50, 0));
        expected.addAll(writeSeries(VM.process(), "hist", "m_hist", "b", first, step, 50, 1000));
        awaitSearchable(VM.process(), "m_hist", 100);
        long last = first + 49 * step;

        StreamExecutionEnvironment env = env(false);
        env.fromSource(VictoriaMetricsSource.builder().url(VM.process().url()).query("hist", "m_hist")
                        .step(Duration.ofMillis(step)).lag(Duration.ofSeconds(1)).lookBack(Duration.ofMinutes(6))
                        .maxPointsPerRequest(7).until(Instant.ofEpochMilli(last)).build(),
                WatermarkStrategy.noWatermarks(), "vm").sinkTo(new CollectingSink("hist"));
        JobID job = env.execute("history").getJobID();

        assertEachExactlyOnceInOrder(CollectingSink.samples("hist"), expected);
        // the 50 imported grid points alone need ceil(50 / 7) = 8 requests of at most 7 points
        assertThat(METRICS.counter(job, "feature.hist.vm_requests")).isGreaterThanOrEqualTo(8);
        assertThat(METRICS.counter(job, "feature.hist.vm_retries")).isZero();
    }

    /**
     * A budget of points per request over all series: 4 series of 50 points with at most 20 points a request are
     * read 5 points per series at a time, the first request included (the validating query counted the series).
     */
    @Test
    void aRequestHoldsAtMostTheSamplesBudgetOverAllSeries() throws Exception {
        long step = 5_000;
        long first = StepGrid.lastAtOrBefore(System.currentTimeMillis() - 300_000, step);
        List<Sample> expected = new ArrayList<>();
        for (String host : List.of("a", "b", "c", "d")) {
            expected.addAll(writeSeries(VM.process(), "budget", "m_budget", host, first, step, 50, 0));
        }
        awaitSearchable(VM.process(), "m_budget", 200);
        long last = first + 49 * step;

        StreamExecutionEnvironment env = env(false);
        env.fromSource(VictoriaMetricsSource.builder().url(VM.process().url()).query("budget", "m_budget")
                        .step(Duration.ofMillis(step)).lag(Duration.ofSeconds(1)).lookBack(Duration.ofMinutes(6))
                        .maxPointsPerRequest(1_000).maxSamplesPerRequest(20).until(Instant.ofEpochMilli(last)).build(),
                WatermarkStrategy.noWatermarks(), "vm").sinkTo(new CollectingSink("budget"));
        JobID job = env.execute("budget").getJobID();

        assertEachExactlyOnceInOrder(CollectingSink.samples("budget"), expected);
        // 50 grid points with data, 5 per request; one request without the budget (1,000 points per series)
        assertThat(METRICS.counter(job, "feature.budget.vm_requests")).isGreaterThanOrEqualTo(10);
    }

    @Test
    void readerRestoredFromLastEndEmitsExactlyTheLaterSamples() throws Exception {
        long step = 5_000;
        long first = StepGrid.lastAtOrBefore(System.currentTimeMillis() - 400_000, step);
        List<Sample> all = writeSeries(VM.process(), "restore", "m_restore", "a", first, step, 40, 0);
        awaitSearchable(VM.process(), "m_restore", 40);
        long last = first + 39 * step;
        VictoriaMetricsSourceConfig config = VictoriaMetricsSource.builder().url(VM.process().url())
                .query("restore", "m_restore").step(Duration.ofMillis(step)).lag(Duration.ofSeconds(1))
                .maxPointsPerRequest(6).until(Instant.ofEpochMilli(last)).build().config();

        for (long t : new long[]{first + 20 * step, first + 20 * step + 2_500, first - 1, last}) {
            QuerySplitState state = new QuerySplitState(new QuerySplit("restore", "m_restore", t));
            List<Sample> emitted = readSplitToEnd(config, state);
            assertThat(emitted).as("restored at %d", t)
                    .containsExactlyElementsOf(all.stream().filter(s -> s.timestampMs() > t).toList());
            assertThat(state.lastEndMs()).isEqualTo(last);
        }
    }

    /** Drives the split reader and the emitter as the reader base would, without Flink around them. */
    private static List<Sample> readSplitToEnd(VictoriaMetricsSourceConfig config, QuerySplitState state)
            throws Exception {
        QueryRangeSplitReader reader = new QueryRangeSplitReader(config, new VictoriaMetricsSourceMetrics(
                new UnregisteredMetricsGroup(), System::currentTimeMillis), System::currentTimeMillis);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(state.toSplit())));
        SampleGroupEmitter emitter = new SampleGroupEmitter();
        List<Sample> out = new ArrayList<>();
        SourceOutput<Sample> output = new SourceOutput<>() {
            @Override
            public void collect(Sample record) {
                out.add(record);
            }

            @Override
            public void collect(Sample record, long timestamp) {
                assertThat(timestamp).isEqualTo(record.timestampMs());
                out.add(record);
            }

            @Override
            public void emitWatermark(Watermark watermark) {
            }

            @Override
            public void markIdle() {
            }

            @Override
            public void markActive() {
            }
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean finished = false;
        while (!finished && System.nanoTime() < deadline) {
            RecordsWithSplitIds<SampleGroup> records = reader.fetch();
            while (records.nextSplit() != null) {
                SampleGroup g;
                while ((g = records.nextRecordFromSplit()) != null) {
                    emitter.emitRecord(g, output, state);
                }
            }
            finished = records.finishedSplits().contains("restore");
            records.recycle();
        }
        reader.close();
        assertThat(finished).as("split finished").isTrue();
        return out;
    }

    @Test
    void badQueryFailsTheJobAtOnceWithVictoriaMetricsErrorText() {
        StreamExecutionEnvironment env = env(true); // restarts allowed: the failure must still be final
        env.fromSource(VictoriaMetricsSource.builder().url(VM.process().url()).query("broken", "rate(m_hist")
                        .step(Duration.ofSeconds(5)).lag(Duration.ofSeconds(1)).lookBack(Duration.ofMinutes(1))
                        .until(Instant.now()).build(),
                WatermarkStrategy.noWatermarks(), "vm").sinkTo(new CollectingSink("broken"));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> env.execute("bad query"))
                .rootCause()
                .isInstanceOf(VictoriaMetricsQueryException.class)
                .hasMessageContaining("feature 'broken'")
                .hasMessageContaining("HTTP 422")
                .hasMessageContaining("unexpected token") // VictoriaMetrics' own words
                .hasMessageContaining("rate(m_hist");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(CollectingSink.samples("broken")).isEmpty();
    }

    @Test
    void aQueryWhoseSeriesDifferOnlyInTheirNameFailsTheJobAtOnceNamingThemAndTheFix() throws Exception {
        long step = 5_000;
        long first = StepGrid.lastAtOrBefore(System.currentTimeMillis() - 120_000, step);
        writeSeries(VM.process(), "net", "m_rx", "a", first, step, 10, 0);
        writeSeries(VM.process(), "net", "m_tx", "a", first, step, 10, 500);
        awaitSearchable(VM.process(), "m_rx", 10);
        awaitSearchable(VM.process(), "m_tx", 10);
        StreamExecutionEnvironment env = env(true); // restarts allowed: the failure must still be final
        env.fromSource(VictoriaMetricsSource.builder().url(VM.process().url())
                        .query("net", "{__name__=~\"m_rx|m_tx\"}")
                        .step(Duration.ofMillis(step)).lag(Duration.ofSeconds(1)).lookBack(Duration.ofMinutes(3))
                        .until(Instant.now()).build(),
                WatermarkStrategy.noWatermarks(), "vm").sinkTo(new CollectingSink("ambiguous"));
        assertThatThrownBy(() -> env.execute("ambiguous query"))
                .rootCause()
                .isInstanceOf(VictoriaMetricsQueryException.class)
                .hasMessageContaining("feature 'net'")
                .hasMessageContaining("series m_rx and m_tx are both net{host=\"a\"}")
                .hasMessageContaining("label_replace(");
        assertThat(CollectingSink.samples("ambiguous")).isEmpty();
    }

    static JobClient submit(StreamExecutionEnvironment env, String name) throws Exception {
        return env.executeAsync(name);
    }
}
