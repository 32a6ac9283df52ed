package dev.anomaly.operators.sinks;

import com.sun.net.httpserver.HttpServer;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The write-back sink against an HTTP endpoint that fails the way VictoriaMetrics or a proxy in front of it does
 * when it restarts or sheds load: a connection closed with no answer, 429, 408, 503. Those are retried and the same
 * lines arrive once accepted; a 400 (a write VictoriaMetrics will never take) fails the job at once.
 */
class VictoriaMetricsSinkTest {

    private static final long INTERVAL_MS = 15_000;

    private static DetectionResult result(long t, double value) {
        return new DetectionResult("cpu{instance=\"h:9100\"}", "cpu", "node_cpu", Map.of("instance", "h:9100"), t,
                value, value - 0.1, 0.1, Double.NaN, 0.2, 3.0, 0.5, false, false, ModelState.SELF_TRAINED,
                new double[] {value}, new double[] {value - 1}, new double[] {value + 1});
    }

    /** Answers each request with the next scripted status; -1 closes the connection without an answer. */
    private static final class ScriptedEndpoint implements AutoCloseable {
        final HttpServer server;
        final Deque<Integer> script;
        final List<String> bodies = new ArrayList<>();

        ScriptedEndpoint(Integer... statuses) throws Exception {
            script = new ArrayDeque<>(List.of(statuses));
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            server.createContext("/api/v1/import/prometheus", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int status;
                synchronized (this) {
                    bodies.add(body);
                    status = script.isEmpty() ? 204 : script.poll();
                }
                if (status < 0) { // no answer at all: the connection just closes
                    exchange.close();
                    return;
                }
                byte[] text = (status == 204 ? "" : "status " + status).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, text.length == 0 ? -1 : text.length);
                exchange.getResponseBody().write(text);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        synchronized List<String> bodies() {
            return List.copyOf(bodies);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static void run(String url, DetectionResult... results) throws Exception {
        run(url, 10_000, VictoriaMetricsSink.OnFailure.RESTART, results);
    }

    private static void run(String url, int batchLines, VictoriaMetricsSink.OnFailure onFailure,
                            DetectionResult... results) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // the sink itself must ride out the failures
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.fromData(TypeInformation.of(DetectionResult.class), results)
                .sinkTo(new VictoriaMetricsSink(url, batchLines, INTERVAL_MS, 2, Duration.ofSeconds(5), onFailure));
        env.execute("vm write-back");
    }

    @Test
    void aDroppedConnectionAndTransientStatusesAreRetriedUntilTheSameLinesAreAccepted() throws Exception {
        DetectionResult[] results = {result(1_000, 1.5), result(16_000, 1.7), result(31_000, 9.0)};
        StringBuilder expected = new StringBuilder();
        int lines = 0;
        for (DetectionResult r : results) {
            lines += PrometheusTextLines.append(r, INTERVAL_MS, expected);
        }
        try (ScriptedEndpoint vm = new ScriptedEndpoint(-1, 429)) {
            run(vm.url(), results);
            List<String> bodies = vm.bodies();
            assertThat(bodies).as("one failed attempt per scripted failure, then the accepted one").hasSize(3);
            assertThat(bodies).containsOnly(expected.toString());
            assertThat(bodies.get(2).lines().count()).isEqualTo(lines);
        }
        try (ScriptedEndpoint vm = new ScriptedEndpoint(408, 503)) {
            run(vm.url(), results);
            assertThat(vm.bodies()).hasSize(3).containsOnly(expected.toString());
        }
    }

    @Test
    void aRejectedWriteFailsTheJobAtOnceWithVictoriaMetricsAnswer() throws Exception {
        try (ScriptedEndpoint vm = new ScriptedEndpoint(400)) {
            Throwable t = catchThrowable(() -> run(vm.url(), result(1_000, 1.5)));
            assertThat(t).isNotNull();
            assertThat(t).rootCause().hasMessageContaining("rejected the write-back").hasMessageContaining("HTTP 400")
                    .hasMessageContaining("status 400");
            assertThat(vm.bodies()).hasSize(1);
        }
    }

    /**
     * The default policy: a batch VictoriaMetrics rejects, and one it never takes through every retry, are dropped
     * and the job goes on (detection and the other sinks must not restart with the write-back); the next batches are
     * written. One result per batch here, and the endpoint's answers in order: 400 (dropped at once), then no answer
     * three times (the first try and two retries: dropped), then accepted.
     */
    @Test
    void underTheDropPolicyABatchThatCannotBeWrittenIsDroppedAndTheJobGoesOn() throws Exception {
        DetectionResult[] results = {result(1_000, 1.5), result(16_000, 1.7), result(31_000, 9.0)};
        List<String> batches = new ArrayList<>();
        for (DetectionResult r : results) {
            StringBuilder b = new StringBuilder();
            PrometheusTextLines.append(r, INTERVAL_MS, b);
            batches.add(b.toString());
        }
        try (ScriptedEndpoint vm = new ScriptedEndpoint(400, -1, -1, -1)) {
            run(vm.url(), 1, VictoriaMetricsSink.OnFailure.DROP, results);
            assertThat(vm.bodies()).containsExactly(batches.get(0), batches.get(1), batches.get(1), batches.get(1),
                    batches.get(2));
        }
    }
}
