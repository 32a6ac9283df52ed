package dev.anomaly.sources.victoriametrics;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Talks to VictoriaMetrics' Prometheus query API with {@link HttpClient}: authentication, TLS with a custom CA,
 * timeouts, and the split of failures into retryable ({@link VictoriaMetricsUnavailableException}) and final
 * ({@link VictoriaMetricsQueryException}). Requests are form POSTs, so long queries never hit URL length limits,
 * and carry {@code nocache=1}: the rollup result cache could otherwise hide samples written late (backfill).
 */
final class VictoriaMetricsClient {

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final Optional<VictoriaMetricsAuth.Credentials> credentials;
    private final String authDescription;

    /**
     * Builds the client: reads the CA file and the secrets now.
     *
     * @throws IllegalStateException naming the setting when the CA file or a secret cannot be read
     */
    VictoriaMetricsClient(VictoriaMetricsSourceConfig config) {
        this.baseUrl = config.url();
        this.timeout = Duration.ofMillis(config.timeoutMs());
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(config.connectTimeoutMs()))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1);
        if (config.caCertificatePath() != null) {
            b.sslContext(sslContextTrusting(Path.of(config.caCertificatePath())));
        }
        this.http = b.build();
        this.credentials = config.auth().resolve();
        this.authDescription = config.auth().toString();
    }

    /** An SSLContext that trusts exactly the certificates in the PEM (or DER) file {@code caFile}. */
    static SSLContext sslContextTrusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalStateException("tls CA certificate file " + caFile + " holds no certificate");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load tls CA certificate file " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Evaluates {@code query} over the grid {@code startMs..endMs} (inclusive) with {@code stepMs}. */
    ParsedRange queryRange(String feature, String query, long startMs, long endMs, long stepMs)
            throws VictoriaMetricsUnavailableException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", query);
        form.put("start", seconds(startMs));
        form.put("end", seconds(endMs));
        form.put("step", seconds(stepMs));
        form.put("nocache", "1");
        byte[] body = post("/api/v1/query_range", form, feature, query);
        try {
            return QueryRangeResponseParser.parse(feature, body);
        } catch (IOException e) {
            throw new VictoriaMetricsUnavailableException("feature '" + feature + "': unusable query_range answer: "
                    + scrub(e.getMessage()), credentials.isPresent() ? null : e); // the cause's text is unscrubbed
        }
    }

    /**
     * Evaluates {@code query} once at {@code timeMs} (an instant query) to learn whether VictoriaMetrics accepts it
     * and whether the detector can tell its series apart; returns how many series it has now.
     */
    int validate(String feature, String query, long timeMs)
            throws VictoriaMetricsUnavailableException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", query);
        form.put("time", seconds(timeMs));
        form.put("nocache", "1");
        QueryRangeResponseParser.InstantSeries series = QueryRangeResponseParser.instantSeries(feature,
                post("/api/v1/query", form, feature, query));
        String ambiguity = series.ambiguity();
        if (ambiguity != null) {
            throw new VictoriaMetricsQueryException("the query of feature '" + feature + "' returns " + ambiguity
                    + ": the detector tells a feature's series apart by their labels, so it would see one series"
                    + " -- query one metric per feature, or keep the name as a label with label_replace(<query>,"
                    + " \"name\", \"$1\", \"__name__\", \"(.+)\"); query: " + query, 200);
        }
        return series.count();
    }

    private byte[] post(String path, Map<String, String> form, String feature, String query)
            throws VictoriaMetricsUnavailableException, InterruptedException {
        String encoded = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8));
        credentials.ifPresent(c -> rb.header("Authorization", c.header()));
        HttpResponse<byte[]> response;
        try {
            response = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLHandshakeException e) {
            if (causedByCertificate(e)) {
                throw new VictoriaMetricsTlsException("feature '" + feature + "': TLS handshake with " + baseUrl
                        + " failed: the server's certificate is not trusted (" + e.getMessage() + "); trust the CA"
                        + " that signed it (source tls(caPem); job config source.victoriametrics.ca-file)", e);
            }
            throw new VictoriaMetricsUnavailableException("feature '" + feature + "': TLS handshake with " + baseUrl
                    + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new VictoriaMetricsUnavailableException("feature '" + feature + "': " + baseUrl + path
                    + " unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return response.body();
        }
        // a proxy in front of VictoriaMetrics might echo the request: never let the secret into a message
        String error = scrub(QueryRangeResponseParser.errorText(response.body()));
        if (status == 401 || status == 403) {
            throw new VictoriaMetricsQueryException("VictoriaMetrics refused the credentials of feature '" + feature
                    + "' (HTTP " + status + " from " + baseUrl + path + "): " + error + " -- auth: " + authDescription
                    + "; check the user, password or token", status);
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            throw new VictoriaMetricsQueryException("VictoriaMetrics rejected the query of feature '" + feature
                    + "' (HTTP " + status + " from " + baseUrl + path + "): " + error + " -- query: " + query, status);
        }
        throw new VictoriaMetricsUnavailableException("feature '" + feature + "': HTTP " + status + " from " + baseUrl
                + path + ": " + error, null);
    }

    private String scrub(String text) {
        return credentials.map(c -> c.scrub(text)).orElse(text);
    }

    /** True when the handshake failed on certificate validation (unknown CA, expired, wrong host), not on I/O. */
    private static boolean causedByCertificate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || t instanceof CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    /** Milliseconds as decimal seconds, the form the query API takes: 1700000000123 → "1700000000.123". */
    static String seconds(long ms) {
        long s = Math.floorDiv(ms, 1000L);
        long frac = Math.floorMod(ms, 1000L);
        return frac == 0 ? Long.toString(s) : s + "." + String.format("%03d", frac);
    }
}
