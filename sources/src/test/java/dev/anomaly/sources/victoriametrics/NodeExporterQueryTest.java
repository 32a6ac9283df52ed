package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source reads real host metrics: a node-exporter scraped every 5 s by VictoriaMetrics, queried with the
 * project's CPU (rate of node_cpu_seconds_total) and memory (node_memory_MemAvailable_bytes) queries.
 */
class NodeExporterQueryTest {

    static final String CPU = "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m])))";
    static final String MEMORY = "node_memory_MemAvailable_bytes";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void cpuAndMemoryOfTheLocalNodeExporter(@TempDir Path dir) throws Exception {
        int exporterPort = VictoriaMetricsProcess.freePort();
        Process exporter = new ProcessBuilder("prometheus-node-exporter", "--web.listen-address=127.0.0.1:" + exporterPort,
                "--no-collector.systemd").redirectErrorStream(true)
                .redirectOutput(dir.resolve("node-exporter.log").toFile()).start();
        Path scrape = dir.resolve("scrape.yml");
        Files.writeString(scrape, "global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: node\n"
                + "    static_configs:\n      - targets: ['127.0.0.1:" + exporterPort + "']\n");
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.start(dir.resolve("vm"), "-promscrape.config=" + scrape)) {
            // rate() over [1m] needs two scrapes; new series need a moment to become searchable
            vm.awaitBody("/api/v1/query?query=" + java.net.URLEncoder.encode(CPU, "UTF-8"),
                    body -> body.contains("\"result\":[{"), Duration.ofSeconds(60));
            vm.awaitBody("/api/v1/query?query=" + MEMORY, body -> body.contains("\"result\":[{"), Duration.ofSeconds(30));
            // The instant query answers as soon as two scrapes exist, but the range query only evaluates grid points
            // (multiples of the 5 s step) up to now - 1 s: wait one more scrape so a grid point has two samples
            // behind it (under load the job can otherwise start before one does).
            Thread.sleep(6_000);
            long memAvailableNow = memAvailableBytes();

            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            env.fromSource(VictoriaMetricsSource.builder().url(vm.url()).query("cpu", CPU).query("memory", MEMORY)
                            .step(Duration.ofSeconds(5)).lag(Duration.ofSeconds(1)).lookBack(Duration.ofSeconds(30))
                            .until(Instant.now().minusSeconds(1)).build(),
                    WatermarkStrategy.noWatermarks(), "vm").sinkTo(new CollectingSink("node"));
            env.execute("node-exporter");

            List<Sample> got = CollectingSink.samples("node");
            List<Sample> cpu = got.stream().filter(s -> s.feature().equals("cpu")).toList();
            List<Sample> memory = got.stream().filter(s -> s.feature().equals("memory")).toList();
            String instance = "127.0.0.1:" + exporterPort;
            assertThat(cpu).isNotEmpty().allSatisfy(s -> {
                assertThat(s.metric()).isEqualTo("cpu"); // a computed series has no __name__
                assertThat(s.seriesId()).isEqualTo("cpu{instance=\"" + instance + "\"}");
                assertThat(s.value()).isBetween(0.0, 100.0);
            });
            assertThat(memory).isNotEmpty().allSatisfy(s -> {
                assertThat(s.metric()).isEqualTo(MEMORY);
                assertThat(s.labels()).containsEntry("instance", instance).containsEntry("job", "node");
                // the same quantity as /proc/meminfo right now, within what other processes may change meanwhile
                assertThat(s.value()).isBetween(memAvailableNow * 0.5, memAvailableNow * 1.5);
            });
            assertThat(got).extracting(Sample::timestampMs).allSatisfy(t -> assertThat(t % 5_000).isZero());
        } finally {
            exporter.destroy();
            exporter.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static long memAvailableBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no MemAvailable in /proc/meminfo");
    }
}
