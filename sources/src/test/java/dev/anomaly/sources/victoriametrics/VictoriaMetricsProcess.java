package dev.anomaly.sources.victoriametrics;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real single-node VictoriaMetrics for tests (Debian package {@code victoria-metrics}), started on a free loopback
 * port with its own data directory. It can be stopped and started again on the same port and data (an outage).
 * <p>
 * Started here with {@link ProcessBuilder} until the project's {@code scripts/services.sh} takes over; the flags are
 * those of docs/SERVICES.md: latency offset 1 s (the default 30 s hides recent points), no rollup cache.
 */
final class VictoriaMetricsProcess implements AutoCloseable {

    static final String BINARY = "victoria-metrics";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dataDir;
    private final int port;
    private final List<String> extraArgs;
    private final String scheme;
    private final HttpClient http;
    private final String authorization;
    private Process process;

    private VictoriaMetricsProcess(Path dataDir, int port, List<String> extraArgs, String scheme, HttpClient http,
                                   String authorization) {
        this.dataDir = dataDir;
        this.port = port;
        this.extraArgs = extraArgs;
        this.scheme = scheme;
        this.http = http;
        this.authorization = authorization;
    }

    /** Starts VictoriaMetrics with data in {@code dataDir} and waits for {@code /health}. */
    static VictoriaMetricsProcess start(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        VictoriaMetricsProcess vm = new VictoriaMetricsProcess(dataDir, freePort(), List.of(extraArgs), "http", HTTP,
                null);
        vm.start();
        return vm;
    }

    /**
     * Starts VictoriaMetrics serving https ({@code -tls} with {@code certPem}/{@code keyPem}) and demanding HTTP basic
     * auth ({@code -httpAuth.*}); the test's own calls (health, import, flush) trust {@code trust} and authenticate.
     */
    static VictoriaMetricsProcess startTlsBasicAuth(Path dataDir, Path certPem, Path keyPem, SSLContext trust,
                                                    String user, String password)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(trust).build();
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        VictoriaMetricsProcess vm = new VictoriaMetricsProcess(dataDir, freePort(), List.of("-tls",
                "-tlsCertFile=" + certPem, "-tlsKeyFile=" + keyPem, "-httpAuth.username=" + user,
                "-httpAuth.password=" + password), "https", http, basic);
        vm.start();
        return vm;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts (again) on the same port and data directory. */
    void start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dataDir.resolve("data"), "-retentionPeriod=1d", "-search.latencyOffset=1s",
                "-search.disableCache", "-loggerLevel=WARN"));
        cmd.addAll(extraArgs);
        Files.createDirectories(dataDir);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("victoria-metrics.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot run " + BINARY + " (install: apt-get install -y --no-install-recommends "
                    + "victoria-metrics prometheus-node-exporter): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(BINARY + " exited with " + process.exitValue() + "; see "
                        + dataDir.resolve("victoria-metrics.log"));
            }
            try {
                if (get("/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException(BINARY + " did not answer /health within 20 s");
    }

    /** SIGTERM (VictoriaMetrics flushes its data), then SIGKILL if it is still running after 10 s. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    String url() {
        return scheme + "://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Writes JSON lines ({@code {"metric":{..},"values":[..],"timestamps":[ms..]}}) and flushes them to search. */
    void importJsonLines(String lines) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(authorized(HttpRequest.newBuilder(URI.create(url() + "/api/v1/import")))
                .POST(HttpRequest.BodyPublishers.ofString(lines, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("import answered " + r.statusCode() + ": " + r.body());
        }
        if (get("/internal/force_flush").statusCode() != 200) {
            throw new IOException("force_flush failed");
        }
    }

    /** GET {@code path} (with its query string) on this VictoriaMetrics. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(authorized(HttpRequest.newBuilder(URI.create(url() + path))).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    /** Polls {@code path} until its body satisfies {@code ready}, up to {@code timeout}. */
    void awaitBody(String path, Predicate<String> ready, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(path);
            last = r.body();
            if (r.statusCode() == 200 && ready.test(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("VictoriaMetrics " + path + " not ready within " + timeout + "; last answer: " + last);
    }
}
