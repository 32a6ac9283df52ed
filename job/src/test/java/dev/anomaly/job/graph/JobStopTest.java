package dev.anomaly.job.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.sources.testing.LocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a running job ({@code anomaly run}'s Ctrl-C) must let its sinks finish their work. Against a real
 * VictoriaMetrics: a write-back whose batch is far larger than what the job scores before the stop, and no
 * checkpoint before it, holds every line in its buffer; a stop with a savepoint flushes them, where the cancel the run
 * used before threw them all away (the same happens to an open exactly-once Kafka transaction).
 */
class JobStopTest {

    @Test
    void aStoppedJobsWriteBackHasSentWhatItBuffered(@TempDir Path dir) throws Exception {
        String vm = LocalServices.start("victoriametrics").get("VM_URL");
        String feature = "stop_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Path file = DetectionJobMiniClusterTest.writeSeries(dir, 1000, 900);
        JobConfig config = ConfigLoader.load(null, List.of("source.type=replay", "source.replay.path=" + file,
                "source.replay.feature=" + feature, "source.replay.shift-to-now=true", "source.replay.rate=100",
                "fetch-interval=1m", "mode=sarima", "warmup.samples=40", "sinks.log.enabled=false",
                "sinks.victoriametrics.enabled=true", "sinks.victoriametrics.url=" + vm,
                "sinks.victoriametrics.batch-lines=100000", "flink.checkpoint-interval=10m"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkSettings.jobLevel(config));
        env.setParallelism(1);
        JobClient job = StreamingJob.start(env, config);
        waitForRunning(job);
        // A few seconds: hundreds of the 1,000 rows (shifted to end now: VictoriaMetrics keeps a day), well past the
        // warm-up, every line still in the write-back's buffer.
        Thread.sleep(5_000);

        Path savepoints = dir.resolve("savepoints");
        assertThat(JobStop.stop(job, savepoints, Duration.ofSeconds(60))).isEqualTo(JobStop.Outcome.STOPPED);
        assertThat(Files.exists(savepoints)).as("the stop's savepoint is deleted").isFalse();

        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(vm + "/internal/force_flush")).build(),
                HttpResponse.BodyHandlers.discarding());
        Map<Long, Double> yhat = VictoriaMetricsWriteBackTest.export(http, vm, "anomaly_detector_yhat", feature);
        assertThat(yhat.size()).as("results written back at the stop").isGreaterThan(100);
    }

    private static void waitForRunning(JobClient job) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (job.getJobStatus().get() == JobStatus.RUNNING) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the job did not start: " + job.getJobStatus().get());
    }
}
