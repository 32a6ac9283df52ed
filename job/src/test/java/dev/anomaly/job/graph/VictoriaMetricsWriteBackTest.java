package dev.anomaly.job.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anomaly.sources.testing.LocalServices;
import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.models.records.DetectionResult;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VictoriaMetrics write-back sink against a real VictoriaMetrics (scripts/services.sh): every scored result's
 * yhat, score, anomaly flag and one-step band must be stored at the result's timestamp, with the series labels
 * (timestamps shifted to now: VictoriaMetrics drops samples older than its retention).
 */
class VictoriaMetricsWriteBackTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void scoredResultsAreWrittenBackAsSeries(@TempDir Path dir) throws Exception {
        String vm = LocalServices.start("victoriametrics").get("VM_URL");
        String feature = "wb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Path file = DetectionJobMiniClusterTest.writeSeries(dir, 200, 150);
        JobConfig config = ConfigLoader.load(null, List.of("source.type=replay", "source.replay.path=" + file,
                "source.replay.feature=" + feature, "source.replay.shift-to-now=true", "fetch-interval=1m", "mode=sarima", "warmup.samples=40",
                "sinks.log.enabled=false", "sinks.victoriametrics.enabled=true", "sinks.victoriametrics.url=" + vm,
                "sinks.victoriametrics.batch-lines=97", "scoring.forecast-horizon=2"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkSettings.jobLevel(config));
        env.setParallelism(1);
        CloseableIterator<DetectionResult> it = DetectionPipeline.attach(SampleSources.create(env, config), config)
                .collectAsync();
        env.executeAsync(StreamingJob.JOB_NAME);
        List<DetectionResult> results = new ArrayList<>();
        it.forEachRemaining(results::add);
        List<DetectionResult> scored = results.stream().filter(r -> !r.warmingUp()).toList();
        assertThat(scored).hasSize(160);

        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(vm + "/internal/force_flush")).build(),
                HttpResponse.BodyHandlers.discarding());
        Map<Long, Double> yhat = export(http, vm, "anomaly_detector_yhat", feature);
        Map<Long, Double> score = export(http, vm, "anomaly_detector_score", feature);
        Map<Long, Double> anomaly = export(http, vm, "anomaly_detector_anomaly", feature);
        Map<Long, Double> upper = export(http, vm, "anomaly_detector_forecast_upper", feature);
        assertThat(yhat).hasSize(scored.size());
        assertThat(upper).as("upper band at %s vs results %s..%s", upper.keySet().stream().sorted().toList(),
                scored.get(0).timestampMs(), scored.get(scored.size() - 1).timestampMs()).hasSize(scored.size());
        for (DetectionResult r : scored) {
            // VictoriaMetrics keeps about 12 significant digits.
            assertThat(yhat.get(r.timestampMs())).isCloseTo(r.prediction(), withinPercentage(1e-7));
            assertThat(score.get(r.timestampMs())).isCloseTo(r.anomalyScore(), within(1e-9));
            assertThat(anomaly.get(r.timestampMs())).isEqualTo(r.anomaly() ? 1.0 : 0.0);
            assertThat(upper.get(r.timestampMs() + 60_000)).isCloseTo(r.forecastUpper()[0], withinPercentage(1e-7));
        }
    }

    /**
     * Raw samples of {@code metric} for the feature, by timestamp (up to a day ahead: the last one-step forecast is
     * stamped in the future); polls until the series is searchable.
     */
    static Map<Long, Double> export(HttpClient http, String vm, String metric, String feature) throws Exception {
        String match = URLEncoder.encode(metric + "{feature=\"" + feature + "\",series=\"" + feature
                + "{file=\\\"host-a\\\"}\"}", StandardCharsets.UTF_8);
        Map<Long, Double> out = new HashMap<>();
        for (int attempt = 0; attempt < 60 && out.isEmpty(); attempt++) {
            String body = http.send(HttpRequest.newBuilder(URI.create(vm + "/api/v1/export?match[]=" + match
                    + "&end=" + (System.currentTimeMillis() / 1000 + 86_400)))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                for (int i = 0; i < n.get("timestamps").size(); i++) {
                    out.put(n.get("timestamps").get(i).asLong(), n.get("values").get(i).asDouble());
                }
            }
            if (out.isEmpty()) {
                Thread.sleep(500);
            }
        }
        return out;
    }
}
