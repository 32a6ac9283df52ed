package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.anomaly.sources.victoriametrics.VictoriaMetricsSourceTest.assertEachExactlyOnceInOrder;
import static dev.anomaly.sources.victoriametrics.VictoriaMetricsSourceTest.awaitSearchable;
import static dev.anomaly.sources.victoriametrics.VictoriaMetricsSourceTest.writeSeries;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once reading across failures, live (1 s step, data written ahead of time so every grid point exists):
 * a VictoriaMetrics outage mid-run, and a stop-with-savepoint followed by a restore.
 * <p>
 * The outage lasts {@code -Dvm.outage.seconds} (default 20 s; the scenario is 2 minutes, which behaves the
 * same with a longer backfill but costs the test run that much longer).
 */
class VictoriaMetricsRecoveryTest {

    private static final long OUTAGE_MS = TimeUnit.SECONDS.toMillis(Long.getLong("vm.outage.seconds", 20));
    private static final SourceMetricsReporter METRICS = new SourceMetricsReporter();

    @RegisterExtension
    static final MiniClusterExtension FLINK = METRICS.miniCluster();

    @RegisterExtension
    static final VictoriaMetricsExtension VM = new VictoriaMetricsExtension();

    private static StreamExecutionEnvironment env(String savepoint) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        return env;
    }

    private static VictoriaMetricsSource source(String feature, String metric, long untilMs) {
        return VictoriaMetricsSource.builder().url(VM.process().url()).query(feature, metric)
                .step(Duration.ofSeconds(1)).fetchInterval(Duration.ofSeconds(1)).lag(Duration.ofSeconds(2))
                .lookBack(Duration.ofMinutes(2)).timeout(Duration.ofSeconds(3))
                .retries(Duration.ofMillis(200), Duration.ofSeconds(2)).maxPointsPerRequest(8)
                .until(Instant.ofEpochMilli(untilMs)).build();
    }

    private static void awaitArrivals(String sink, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (CollectingSink.arrivals(sink).size() < count) {
            assertThat(System.nanoTime()).as("%d samples in %s within %s", count, sink, timeout).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void outageIsRetriedThenBackfilledExactlyOnce() throws Exception {
        long first = StepGrid.lastAtOrBefore(System.currentTimeMillis() - 10_000, 1_000);
        int points = (int) ((OUTAGE_MS + 60_000) / 1_000);
        List<Sample> written = writeSeries(VM.process(), "outage", "m_outage", "a", first, 1_000, points, 0);
        awaitSearchable(VM.process(), "m_outage", points, (first + points * 1_000L) / 1_000 + 1);
        long until = first + 10_000 + OUTAGE_MS + 15_000; // ~15 s of live reading after the restart
        List<Sample> expected = written.stream().filter(s -> s.timestampMs() <= until).toList();

        StreamExecutionEnvironment env = env(null);
        env.fromSource(source("outage", "m_outage", until), WatermarkStrategy.noWatermarks(), "vm")
                .sinkTo(new CollectingSink("outage"));
        JobClient job = env.executeAsync("outage");
        awaitArrivals("outage", 12, Duration.ofSeconds(30)); // caught up with the history, reading live

        VM.process().stop();
        long stoppedAt = System.currentTimeMillis();
        Thread.sleep(OUTAGE_MS);
        long restartedAt = System.currentTimeMillis();
        VM.process().start();
        job.getJobExecutionResult().get(OUTAGE_MS + 90_000, TimeUnit.MILLISECONDS);

        List<CollectingSink.Arrival> arrivals = CollectingSink.arrivals("outage");
        assertEachExactlyOnceInOrder(arrivals.stream().map(CollectingSink.Arrival::sample).toList(), expected);
        // points that became readable only while VictoriaMetrics was down arrived after it came back (backfill)
        List<CollectingSink.Arrival> missed = arrivals.stream()
                .filter(a -> a.sample().timestampMs() > stoppedAt && a.sample().timestampMs() < restartedAt - 3_000)
                .toList();
        assertThat(missed).hasSizeGreaterThanOrEqualTo((int) (OUTAGE_MS / 1_000) - 5);
        assertThat(missed).allSatisfy(a -> assertThat(a.arrivedAtMs()).isGreaterThanOrEqualTo(restartedAt));
        assertThat(METRICS.counter(job.getJobID(), "feature.outage.vm_retries")).isPositive();
    }

    @Test
    void stopWithSavepointAndRestoreContinueWithoutGapOrDuplicate(@TempDir Path savepoints) throws Exception {
        long first = StepGrid.lastAtOrBefore(System.currentTimeMillis() - 5_000, 1_000);
        List<Sample> written = writeSeries(VM.process(), "sp", "m_savepoint", "a", first, 1_000, 60, 0);
        awaitSearchable(VM.process(), "m_savepoint", 60);
        long until = first + 25_000;
        List<Sample> expected = written.stream().filter(s -> s.timestampMs() <= until).toList();

        StreamExecutionEnvironment env1 = env(null);
        env1.fromSource(source("sp", "m_savepoint", until), WatermarkStrategy.noWatermarks(), "vm").uid("vm-source")
                .sinkTo(new CollectingSink("sp-before")).uid("sink");
        JobClient job1 = env1.executeAsync("before savepoint");
        awaitArrivals("sp-before", 10, Duration.ofSeconds(30));
        String savepoint = job1.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        List<Sample> before = CollectingSink.samples("sp-before");
        assertThat(before.size()).isLessThan(expected.size());

        StreamExecutionEnvironment env2 = env(savepoint);
        env2.fromSource(source("sp", "m_savepoint", until), WatermarkStrategy.noWatermarks(), "vm").uid("vm-source")
                .sinkTo(new CollectingSink("sp-after")).uid("sink");
        env2.execute("after savepoint");
        List<Sample> after = CollectingSink.samples("sp-after");

        assertThat(after).isNotEmpty();
        List<Sample> all = new ArrayList<>(before);
        all.addAll(after);
        assertEachExactlyOnceInOrder(all, expected);
    }
}
