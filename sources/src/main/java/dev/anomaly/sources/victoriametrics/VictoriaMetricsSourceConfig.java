package dev.anomaly.sources.victoriametrics;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated settings of a {@link VictoriaMetricsSource}, built by {@link VictoriaMetricsSource.Builder}.
 * Holds secret references only (see {@link SecretRef}), so {@link #toString()} is safe to log.
 */
public final class VictoriaMetricsSourceConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String url;
    private final LinkedHashMap<String, String> queries;
    private final long stepMs;
    private final long fetchIntervalMs;
    private final long lagMs;
    private final long lookBackMs;
    private final VictoriaMetricsAuth auth;
    private final String caCertificatePath;
    private final long timeoutMs;
    private final long connectTimeoutMs;
    private final long retryBaseMs;
    private final long retryMaxMs;
    private final int maxPointsPerRequest;
    private final int maxSamplesPerRequest;
    private final Long untilMs;

    VictoriaMetricsSourceConfig(String url, Map<String, String> queries, long stepMs, long fetchIntervalMs, long lagMs,
                                long lookBackMs, VictoriaMetricsAuth auth, String caCertificatePath, long timeoutMs,
                                long connectTimeoutMs, long retryBaseMs, long retryMaxMs, int maxPointsPerRequest,
                                int maxSamplesPerRequest, Long untilMs) {
        this.url = url;
        this.queries = new LinkedHashMap<>(queries);
        this.stepMs = stepMs;
        this.fetchIntervalMs = fetchIntervalMs;
        this.lagMs = lagMs;
        this.lookBackMs = lookBackMs;
        this.auth = auth;
        this.caCertificatePath = caCertificatePath;
        this.timeoutMs = timeoutMs;
        this.connectTimeoutMs = connectTimeoutMs;
        this.retryBaseMs = retryBaseMs;
        this.retryMaxMs = retryMaxMs;
        this.maxPointsPerRequest = maxPointsPerRequest;
        this.maxSamplesPerRequest = maxSamplesPerRequest;
        this.untilMs = untilMs;
    }

    /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:8428}. */
    public String url() {
        return url;
    }

    /** Feature name → PromQL/MetricsQL query, in configuration order. */
    public Map<String, String> queries() {
        return Collections.unmodifiableMap(queries);
    }

    public long stepMs() {
        return stepMs;
    }

    public long fetchIntervalMs() {
        return fetchIntervalMs;
    }

    public long lagMs() {
        return lagMs;
    }

    public long lookBackMs() {
        return lookBackMs;
    }

    public VictoriaMetricsAuth auth() {
        return auth;
    }

    /** PEM file of the CA certificate(s) to trust, or null for the JVM's default trust store. */
    public String caCertificatePath() {
        return caCertificatePath;
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    public long retryBaseMs() {
        return retryBaseMs;
    }

    public long retryMaxMs() {
        return retryMaxMs;
    }

    public int maxPointsPerRequest() {
        return maxPointsPerRequest;
    }

    /** Cap on the points of all series in one request. */
    public int maxSamplesPerRequest() {
        return maxSamplesPerRequest;
    }

    /** Points per series to ask for in one request when the query has about {@code series} series. */
    int pointsPerSeries(int series) {
        return Math.max(2, Math.min(maxPointsPerRequest, maxSamplesPerRequest / Math.max(1, series)));
    }

    /** True when the source stops after {@link #untilMs()}. */
    public boolean bounded() {
        return untilMs != null;
    }

    /** The last instant to read (epoch ms) of a bounded source; {@link Long#MAX_VALUE} when unbounded. */
    public long untilMs() {
        return untilMs == null ? Long.MAX_VALUE : untilMs;
    }

    @Override
    public String toString() {
        return "VictoriaMetricsSourceConfig{url=" + url + ", queries=" + queries + ", step=" + Duration.ofMillis(stepMs)
                + ", fetchInterval=" + Duration.ofMillis(fetchIntervalMs) + ", lag=" + Duration.ofMillis(lagMs)
                + ", lookBack=" + Duration.ofMillis(lookBackMs) + ", auth=" + auth + ", caCertificate="
                + (caCertificatePath == null ? "default trust store" : caCertificatePath) + ", timeout="
                + Duration.ofMillis(timeoutMs) + ", connectTimeout=" + Duration.ofMillis(connectTimeoutMs)
                + ", retryBackoff=" + Duration.ofMillis(retryBaseMs) + ".." + Duration.ofMillis(retryMaxMs)
                + ", maxPointsPerRequest=" + maxPointsPerRequest + ", maxSamplesPerRequest=" + maxSamplesPerRequest
                + ", until="
                + (untilMs == null ? "unbounded" : Instant.ofEpochMilli(untilMs).toString()) + "}";
    }
}
