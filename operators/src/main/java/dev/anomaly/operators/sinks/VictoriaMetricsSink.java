package dev.anomaly.operators.sinks;

import dev.anomaly.models.records.DetectionResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes detection results back to VictoriaMetrics ({@code POST /api/v1/import/prometheus}, lines from
 * {@link PrometheusTextLines}) so Grafana can draw yhat, the band, score and anomalies next to the raw series.
 * Lines are batched and sent when the batch is full and before every checkpoint (Flink calls {@code flush}). A
 * failed request (no answer, a broken connection, 5xx, 408 or 429) is retried with exponential backoff. What happens
 * to a batch that still cannot be written (VictoriaMetrics unreachable through every retry, or any other 4xx: a write
 * it will never accept) is the {@link OnFailure} policy: by default it is dropped, counted in
 * {@code vm_lines_dropped} and logged, and detection and the other sinks go on (the write-back runs in the detection's
 * task: failing it would restart the whole job, the Kafka anomaly events included, for as long as VictoriaMetrics is
 * down, and a write it rejects would fail every restart again); with {@link OnFailure#RESTART} the writer fails and
 * Flink restarts from the last checkpoint, so nothing acknowledged by a checkpoint is lost (at-least-once; re-sent
 * samples overwrite identical ones).
 */
public final class VictoriaMetricsSink implements Sink<DetectionResult> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(VictoriaMetricsSink.class);

    /** What becomes of a batch that cannot be written. */
    public enum OnFailure {
        /** Drop it, count it ({@code vm_lines_dropped}), log it, go on. */
        DROP,
        /** Fail the writer: Flink restarts the job from its last checkpoint and the batch is written again. */
        RESTART
    }

    private final String url;
    private final int batchLines;
    private final long intervalMs;
    private final int retries;
    private final Duration timeout;
    private final OnFailure onFailure;

    /**
     * @param url VictoriaMetrics base URL, e.g. {@code http://127.0.0.1:8428}
     * @param batchLines lines per request
     * @param intervalMs FETCH_INTERVAL: a one-step forecast is stamped this far after its sample
     * @param onFailure what becomes of a batch that cannot be written
     */
    public VictoriaMetricsSink(String url, int batchLines, long intervalMs, int retries, Duration timeout,
                               OnFailure onFailure) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.batchLines = batchLines;
        this.intervalMs = intervalMs;
        this.retries = retries;
        this.timeout = timeout;
        this.onFailure = onFailure;
    }

    @Override
    public SinkWriter<DetectionResult> createWriter(WriterInitContext context) {
        MetricGroup group = context.metricGroup().addGroup("anomaly_detector");
        return new Writer(group.counter("vm_lines_written"), group.counter("vm_write_retries"),
                group.counter("vm_lines_dropped"));
    }

    private final class Writer implements SinkWriter<DetectionResult> {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        private final StringBuilder buffer = new StringBuilder(64 * 1024);
        private final Counter sent;
        private final Counter retried;
        private final Counter dropped;
        private int lines;

        Writer(Counter sent, Counter retried, Counter dropped) {
            this.sent = sent;
            this.retried = retried;
            this.dropped = dropped;
        }

        @Override
        public void write(DetectionResult r, Context context) throws IOException, InterruptedException {
            lines += PrometheusTextLines.append(r, intervalMs, buffer);
            if (lines >= batchLines) {
                send();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            send();
        }

        private void send() throws IOException, InterruptedException {
            if (lines == 0) {
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/import/prometheus"))
                    .timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofString(buffer.toString(), StandardCharsets.UTF_8))
                    .build();
            long backoff = 200;
            String problem = "";
            for (int attempt = 0; ; attempt++) {
                HttpResponse<String> response;
                try {
                    response = http.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    // refused, timed out, or a kept-alive connection closed under the POST (VictoriaMetrics or a
                    // proxy restarted): the JDK client does not resend a POST, so this loop does
                    response = null;
                    problem = e.toString();
                }
                if (response != null) {
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        sent.inc(lines);
                        buffer.setLength(0);
                        lines = 0;
                        return;
                    }
                    problem = "HTTP " + status + ": " + response.body();
                    if (status / 100 == 4 && status != 408 && status != 429) {
                        fail("VictoriaMetrics at " + url + " rejected the write-back: " + problem);
                        return;
                    }
                }
                if (attempt >= retries) {
                    fail("VictoriaMetrics write-back to " + url + " failed after " + (attempt + 1) + " attempts: "
                            + problem);
                    return;
                }
                retried.inc();
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }

        /** A batch that cannot be written: thrown under RESTART; dropped, counted and logged under DROP. */
        private void fail(String message) throws IOException {
            if (onFailure == OnFailure.RESTART) {
                throw new IOException(message);
            }
            LOG.error("{}; dropped {} lines (sinks.victoriametrics.on-failure: drop)", message, lines);
            dropped.inc(lines);
            buffer.setLength(0);
            lines = 0;
        }

        @Override
        public void close() {
            // Unsent lines were not covered by a checkpoint; the restart replays them.
        }
    }
}
