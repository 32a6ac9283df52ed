package dev.anomaly.sources.victoriametrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What vmauth does in front of a single-node VictoriaMetrics (which checks only HTTP basic auth, not bearer tokens):
 * a loopback HTTP server that demands {@code Authorization: Bearer <token>}, answers 401 without it, and forwards the
 * request to VictoriaMetrics with the upstream's own Authorization header over TLS. The 401 body deliberately echoes
 * the Authorization header it got, as a careless proxy might, so a test can check the source scrubs it. It can rotate
 * its token mid-run, as a vault agent or a projected service-account token does ({@link #rotateAfter}).
 */
final class BearerTokenProxy implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicReference<String> token;
    private volatile Rotation rotation;

    private record Rotation(int afterForwarded, String newToken, Path tokenFile) {
    }

    BearerTokenProxy(String token, String upstreamUrl, String upstreamAuthorization, SSLContext upstreamTrust)
            throws IOException {
        this.token = new AtomicReference<>(token);
        HttpClient upstream = HttpClient.newBuilder().sslContext(upstreamTrust).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (!("Bearer " + this.token.get()).equals(auth)) {
                    rejected.incrementAndGet();
                    reply(exchange, 401, "{\"status\":\"error\",\"errorType\":\"unauthorized\",\"error\":"
                            + "\"bearer token required; got Authorization: " + auth + "\"}");
                    return;
                }
                forward(exchange, upstream, upstreamUrl, upstreamAuthorization);
                Rotation r = rotation;
                if (r != null && forwarded.incrementAndGet() == r.afterForwarded()) {
                    Files.writeString(r.tokenFile(), r.newToken());
                    this.token.set(r.newToken());
                }
            }
        });
        server.start();
    }

    private static void forward(HttpExchange exchange, HttpClient upstream, String upstreamUrl, String authorization)
            throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstreamUrl + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(20)).header("Authorization", authorization)
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> r = upstream.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            exchange.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type")
                    .orElse("application/json"));
            exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(r.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 502, "interrupted");
        } catch (IOException e) {
            reply(exchange, 502, "upstream failed: " + e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * After the next {@code requests} forwarded requests, writes {@code newToken} to {@code tokenFile} and from then
     * on accepts only it.
     */
    void rotateAfter(int requests, String newToken, Path tokenFile) {
        forwarded.set(0);
        rotation = new Rotation(requests, newToken, tokenFile);
    }

    /** Requests answered 401. */
    int rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
