package dev.anomaly.job.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anomaly.sources.testing.LocalServices;
import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job against the real services of {@code scripts/services.sh}: VictoriaMetrics scraping a real
 * node-exporter every 5 s. The job reads CPU (a PromQL rate over the idle counters) and memory
 * (node_memory_MemAvailable_bytes) and must warm up, self-train and score both series. The values it scores for
 * live grid points are checked against the raw samples exported from VictoriaMetrics, recomputed here.
 *
 * <p>A freshly started VictoriaMetrics holds too little history to train on within the test, so the test imports
 * synthetic history for the node-exporter's own series (same labels) before their first real scrape; live samples
 * (after the job starts) are the node-exporter's.
 */
class VictoriaMetricsJobIntegrationTest {
    static final String CPU = "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m])))";
    static final String MEMORY = "node_memory_MemAvailable_bytes";
    static final long STEP_MS = 5_000;
    /** History the job reads at its start: 30 grid points, enough for the first fit (16 samples). */
    static final Duration LOOK_BACK = Duration.ofSeconds(150);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void cpuAndMemoryOfARealNodeExporterAreScored() throws Exception {
        Map<String, String> services = LocalServices.start("node-exporter", "victoriametrics");
        String vm = services.get("VM_URL");
        String instance = URI.create(services.get("NODE_EXPORTER_URL")).getAuthority();
        String idleSelector = "node_cpu_seconds_total{mode=\"idle\",instance=\"" + instance + "\"}";
        String memorySelector = MEMORY + "{instance=\"" + instance + "\"}";
        awaitSeries(vm, idleSelector);
        awaitSeries(vm, memorySelector);
        long historyFrom = System.currentTimeMillis() - LOOK_BACK.toMillis() - 70_000; // + the rate window
        importHistoryBeforeFirstScrape(vm, idleSelector, historyFrom, true);
        importHistoryBeforeFirstScrape(vm, memorySelector, historyFrom, false);

        JobConfig config = ConfigLoader.load(null, List.of(
                "source.type=victoriametrics", "source.victoriametrics.url=" + vm,
                "source.victoriametrics.step=5s", "source.victoriametrics.lag=10s", // slow scrapes under load
                "source.victoriametrics.look-back=" + LOOK_BACK.toSeconds() + "s",
                "features.cpu.query=" + CPU, "features.memory.query=" + MEMORY,
                "fetch-interval=5s", "warmup.samples=16", "warmup.full-training-samples=1000",
                "sinks.log.enabled=false", "flink.parallelism=2"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkSettings.jobLevel(config));
        CloseableIterator<DetectionResult> collected = DetectionPipeline.attach(SampleSources.create(env, config),
                config).collectAsync();
        long jobStart = System.currentTimeMillis();
        JobClient job = env.executeAsync(StreamingJob.JOB_NAME);

        String cpuSeries = "cpu{instance=\"" + instance + "\"}";
        List<DetectionResult> results = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try {
                collected.forEachRemaining(results::add);
            } catch (RuntimeException closed) {
                // the job was cancelled
            }
        });
        reader.start();
        Predicate<DetectionResult> live = r -> r.timestampMs() >= jobStart && !r.gap()
                && r.modelState() == ModelState.SELF_TRAINED;
        long deadline = System.nanoTime() + Duration.ofSeconds(100).toNanos();
        try {
            while (System.nanoTime() < deadline && (count(results, cpuSeries, live) < 2
                    || count(results, memorySeries(results, instance), live) < 2)) {
                Thread.sleep(500);
            }
        } finally {
            job.cancel().get();
            collected.close();
            reader.join(10_000);
        }

        List<DetectionResult> cpu = series(results, cpuSeries);
        String memoryId = memorySeries(results, instance);
        List<DetectionResult> memory = series(results, memoryId);
        assertThat(count(results, cpuSeries, live)).as("live scored CPU results in %s", cpu).isGreaterThanOrEqualTo(2);
        assertThat(count(results, memoryId, live)).as("live scored memory results").isGreaterThanOrEqualTo(2);
        for (List<DetectionResult> s : List.of(cpu, memory)) {
            assertThat(s.get(0).modelState()).isEqualTo(ModelState.WARMING_UP);
            assertThat(s).extracting(DetectionResult::timestampMs).isSorted()
                    .allSatisfy(t -> assertThat(t % STEP_MS).isZero()).doesNotHaveDuplicates();
            List<DetectionResult> scored = s.stream().filter(r -> r.modelState() == ModelState.SELF_TRAINED
                    && !r.gap()).toList();
            assertThat(scored).isNotEmpty().allSatisfy(r -> {
                assertThat(r.prediction()).isFinite();
                assertThat(r.mse()).isFinite();
                assertThat(r.threshold()).isFinite();
                assertThat(r.anomalyScore()).isBetween(0.0, 1.0);
                assertThat(r.horizon()).isEqualTo(6);
            });
            // everything before the first fit (at the 16th sample) warms up
            int firstScored = s.indexOf(scored.get(0));
            assertThat(firstScored).isGreaterThanOrEqualTo(16);
            assertThat(s.subList(0, firstScored)).allMatch(r -> r.modelState() == ModelState.WARMING_UP);
        }
        assertThat(cpu.get(0).labels()).isEqualTo(Map.of("instance", instance));
        assertThat(memory.get(0).metric()).isEqualTo(MEMORY);
        assertThat(memory.get(0).labels()).containsEntry("instance", instance).containsEntry("job", "node");

        // Live values recomputed from VictoriaMetrics' raw samples (what the node-exporter reported).
        Map<String, TreeMap<Long, Double>> idle = export(vm, idleSelector, jobStart - 120_000);
        TreeMap<Long, Double> mem = export(vm, memorySelector, jobStart - 120_000).values().iterator().next();
        for (DetectionResult r : cpu.stream().filter(live).toList()) {
            double idleRate = 0;
            for (TreeMap<Long, Double> counter : idle.values()) {
                Map.Entry<Long, Double> last = counter.floorEntry(r.timestampMs());
                Map.Entry<Long, Double> first = counter.floorEntry(r.timestampMs() - 60_000);
                idleRate += (last.getValue() - first.getValue()) / ((last.getKey() - first.getKey()) / 1000.0);
            }
            double expected = 100 * (1 - idleRate / idle.size());
            assertThat(r.value()).as("CPU %% at %d", r.timestampMs()).isCloseTo(expected,
                    Offset.offset(1e-6));
            assertThat(r.value()).isBetween(0.0, 100.0);
        }
        for (DetectionResult r : memory.stream().filter(live).toList()) {
            assertThat(r.value()).as("MemAvailable at %d", r.timestampMs())
                    .isEqualTo(mem.floorEntry(r.timestampMs()).getValue());
        }
    }

    static long count(List<DetectionResult> results, String seriesId, Predicate<DetectionResult> p) {
        synchronized (results) {
            return results.stream().filter(r -> r.seriesId().equals(seriesId)).filter(p).count();
        }
    }

    static List<DetectionResult> series(List<DetectionResult> results, String seriesId) {
        synchronized (results) {
            return results.stream().filter(r -> r.seriesId().equals(seriesId)).toList();
        }
    }

    /** The memory series' id (its labels come from the scrape: instance and job). */
    static String memorySeries(List<DetectionResult> results, String instance) {
        synchronized (results) {
            return results.stream().filter(r -> r.feature().equals("memory")
                            && instance.equals(r.labels().get("instance")))
                    .map(DetectionResult::seriesId).findFirst().orElse("memory?");
        }
    }

    /** Waits until VictoriaMetrics holds a raw sample of {@code selector} (the first scrape after a start). */
    static void awaitSeries(String vm, String selector) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (export(vm, selector, System.currentTimeMillis() - 600_000).isEmpty()) {
            assertThat(System.nanoTime()).as("no sample of %s in VictoriaMetrics after 60 s", selector)
                    .isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    /**
     * When the series' continuous run of real scrapes starts after {@code from} and nothing older is stored in
     * [from, now], imports synthetic samples every 5 s from just before the first real one back to {@code from}:
     * counters decreasing from the first real value by 2.5 s of idle time per step (50% idle), gauges within
     * 0.5% of the first real value.
     */
    static void importHistoryBeforeFirstScrape(String vm, String selector, long from, boolean counter)
            throws Exception {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, TreeMap<Long, Double>> e : export(vm, selector, from).entrySet()) {
            TreeMap<Long, Double> raw = e.getValue();
            Long first = raw.lastKey();
            for (Long t = raw.lowerKey(first); t != null && first - t <= 15_000; t = raw.lowerKey(t)) {
                first = t;
            }
            if (raw.firstKey() < first || first - STEP_MS < from) {
                continue; // older real data in the window, or history long enough already
            }
            List<Long> ts = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            double v0 = raw.get(first);
            for (int k = 1; first - k * STEP_MS >= from; k++) {
                double v = counter ? v0 - k * 2.5 : v0 * (1 + 0.005 * Math.sin(k));
                if (v < 0) {
                    break;
                }
                ts.add(0, first - k * STEP_MS);
                values.add(0, v);
            }
            lines.append("{\"metric\":").append(e.getKey()).append(",\"values\":")
                    .append(JSON.writeValueAsString(values)).append(",\"timestamps\":")
                    .append(JSON.writeValueAsString(ts)).append("}\n");
        }
        if (lines.isEmpty()) {
            return;
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(vm + "/api/v1/import"))
                .POST(HttpRequest.BodyPublishers.ofString(lines.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("import: %s", r.body()).isEqualTo(204);
        HTTP.send(HttpRequest.newBuilder(URI.create(vm + "/internal/force_flush")).build(),
                HttpResponse.BodyHandlers.discarding());
        Thread.sleep(1500); // samples of existing series become searchable within about a second of a flush
    }

    /** Raw samples of every series matching {@code selector} since {@code fromMs}: metric JSON -> time -> value. */
    static Map<String, TreeMap<Long, Double>> export(String vm, String selector, long fromMs)
            throws IOException, InterruptedException {
        String url = vm + "/api/v1/export?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
                + "&start=" + fromMs / 1000;
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("export %s: %s", selector, r.body()).isEqualTo(200);
        Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            TreeMap<Long, Double> points = out.computeIfAbsent(JSON.writeValueAsString(n.get("metric")),
                    k -> new TreeMap<>());
            for (int i = 0; i < n.get("timestamps").size(); i++) {
                points.put(n.get("timestamps").get(i).asLong(), n.get("values").get(i).asDouble());
            }
        }
        return out;
    }
}
