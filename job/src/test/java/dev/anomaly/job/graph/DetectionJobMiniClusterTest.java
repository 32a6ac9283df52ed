package dev.anomaly.job.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full job graph (replay source -> keyed detection -> sinks) on a MiniCluster with the Prometheus reporter and
 * generic (Kryo) types disabled: a replayed seasonal series with one injected spike must give an anomaly event at
 * the spike, and the reporter's /metrics must show the series' gauges and the operator's counters.
 */
class DetectionJobMiniClusterTest {
    static final int REPORTER_PORT = freePort();
    static final String PREFIX = "flink_taskmanager_job_task_operator_anomaly_detector_";
    static final List<String> GAUGES = List.of("value", "yhat", "residual", "mse", "threshold", "score", "anomaly",
            "warming_up", "alarms", "horizon_forecast_upper");

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(reporter())
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static Configuration reporter() {
        Configuration c = new Configuration();
        c.setString("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", String.valueOf(REPORTER_PORT));
        c.setString("metrics.reporter.prom.filterLabelValueCharacters", "false");
        return c;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 10 + 3 sin(2 pi t / 24) + N(0, 0.2) every minute; at {@code spikeAt} the value jumps by 12. */
    static Path writeSeries(Path dir, int n, int spikeAt) throws IOException {
        Random r = new Random(5);
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        LocalDateTime t0 = LocalDateTime.of(2024, 1, 1, 0, 0);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        for (int t = 0; t < n; t++) {
            double v = 10 + 3 * Math.sin(2 * Math.PI * t / 24) + 0.2 * r.nextGaussian() + (t == spikeAt ? 12 : 0);
            csv.append(t0.plusMinutes(t).format(f)).append(',').append(v).append('\n');
        }
        Path file = dir.resolve("host-a.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void aReplayedSpikeIsAnAnomalyEventAndTheGaugesAreScraped(@TempDir Path dir) throws Exception {
        int n = 700;
        // At row 300 the operator trains the full model, for seconds, while the source goes on (250 rows/s); the rows
        // that queued meanwhile are worked off in a burst just before the job ends, too fast for a scraper polling
        // every 100 ms. So the spike comes before that (the warm-up model scores it), and the anomalies counter
        // shows it for as long as the training takes. (Until the confirmation rule the spike was at row 640, and the
        // counter the scraper saw was a false alarm of the warm-up model at row 149.)
        int spikeAt = 200;
        Path file = writeSeries(dir, n, spikeAt);
        JobConfig config = ConfigLoader.load(null, List.of(
                "source.type=replay", "source.replay.path=" + file, "source.replay.feature=cpu",
                "source.replay.rate=250", "fetch-interval=1m", "seq-len=8", "lstm.hidden-size=4", "lstm.epochs=3",
                "warmup.samples=48", "warmup.full-training-samples=300", "scoring.seasonal-period=24",
                "flink.parallelism=2"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkSettings.jobLevel(config));
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        SingleOutputStreamOperator<DetectionResult> results = DetectionPipeline.attach(SampleSources.create(env,
                config), config);
        CloseableIterator<DetectionResult> collected = results.collectAsync();
        JobClient job = env.executeAsync(StreamingJob.JOB_NAME);

        AtomicReference<String> lastScrape = new AtomicReference<>("");
        AtomicReference<Double> maxAnomalies = new AtomicReference<>(0.0);
        Thread scraper = new Thread(() -> scrapeUntilDone(job, lastScrape, maxAnomalies));
        scraper.start();
        List<DetectionResult> out = new ArrayList<>();
        collected.forEachRemaining(out::add);
        scraper.join(60_000);

        assertThat(out).hasSize(n);
        assertThat(out.subList(0, 48)).allMatch(r -> r.modelState() == ModelState.WARMING_UP);
        List<DetectionResult> scored = out.subList(48, n);
        assertThat(scored).allMatch(r -> r.modelState() == ModelState.SELF_TRAINED);
        assertThat(out.get(n - 1).predictedResidual()).as("the full hybrid took over").isFinite();
        long spikeTs = out.get(spikeAt).timestampMs();
        assertThat(out.get(spikeAt).value()).as("the spike itself").isGreaterThan(16);
        List<DetectionResult> anomalies = scored.stream().filter(DetectionResult::anomaly).toList();
        assertThat(anomalies).extracting(DetectionResult::timestampMs).contains(spikeTs);
        assertThat(anomalies.size()).as("false alarms besides the spike").isLessThanOrEqualTo(6);

        String metrics = lastScrape.get();
        String series = "series=\"cpu{file=\\\"host-a\\\"}\"";
        for (String gauge : GAUGES.subList(0, GAUGES.size() - 1)) {
            assertThat(metrics).as(gauge).containsPattern(Pattern.quote(PREFIX + "feature_instance_series_" + gauge
                    + "{") + "[^\\n]*" + Pattern.quote(series));
        }
        assertThat(metrics).containsPattern(Pattern.quote(PREFIX + "feature_instance_series_horizon_forecast_upper{")
                + "[^\\n]*horizon=\"6\"");
        assertThat(metrics).contains(PREFIX + "samples_processed{").contains(PREFIX + "late_dropped{");
        assertThat(maxAnomalies.get()).as("anomalies counter on /metrics").isGreaterThanOrEqualTo(1.0);
    }

    /** Scrapes the reporter every 100 ms while the job runs; keeps the last body that had our gauges. */
    static void scrapeUntilDone(JobClient job, AtomicReference<String> last, AtomicReference<Double> maxAnomalies) {
        HttpClient http = HttpClient.newHttpClient();
        Pattern anomalies = Pattern.compile("^" + Pattern.quote(PREFIX) + "anomalies\\{[^}]*} (\\S+)$",
                Pattern.MULTILINE);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + REPORTER_PORT
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                // While the job ends its gauges are unregistered one by one: keep only complete scrapes.
                if (GAUGES.stream().allMatch(g -> body.contains(PREFIX + "feature_instance_series_" + g + "{"))
                        && body.contains(PREFIX + "samples_processed{") && body.contains(PREFIX + "late_dropped{")) {
                    last.set(body);
                    Matcher m = anomalies.matcher(body);
                    double sum = 0;
                    while (m.find()) {
                        sum += Double.parseDouble(m.group(1));
                    }
                    maxAnomalies.accumulateAndGet(sum, Math::max);
                }
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    return;
                }
                Thread.sleep(100);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    return;
                }
            }
        }
    }
}
