package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads metric series from VictoriaMetrics (or any Prometheus-compatible query API) with range queries and emits
 * them as {@link Sample}s, one split per configured query (feature).
 * <p>
 * Every fetch interval a reader asks {@code /api/v1/query_range} for the grid points (multiples of the step, epoch
 * aligned) in {@code (lastEnd, now - lag]}; {@code lastEnd}, checkpointed per split, is the last grid point whose
 * samples were all emitted, so a restore re-reads exactly the missing range. A fresh start begins at
 * {@code now - lookBack}. While VictoriaMetrics is unreachable the reader retries with backoff and the range grows;
 * the first success reads all of it, in requests of at most {@code maxPointsPerRequest} points per series and about
 * {@code maxSamplesPerRequest} points in all (the series count taken from the validating query and from each answer),
 * so that a long backfill of a query with many series never asks for more than a reader can hold.
 * <p>
 * Choose the lag at least as large as VictoriaMetrics' {@code -search.latencyOffset} (default 30 s) plus the
 * scrape/ingest delay: a grid point read before its raw samples arrived is answered from older samples (or not at
 * all) and is not read again.
 * <pre>{@code
 * VictoriaMetricsSource source = VictoriaMetricsSource.builder()
 *     .url("http://127.0.0.1:8428")
 *     .query("cpu", "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m])))")
 *     .query("memory", "node_memory_MemAvailable_bytes")
 *     .step(Duration.ofSeconds(15)).lag(Duration.ofSeconds(30)).lookBack(Duration.ofHours(1))
 *     .build();
 * env.fromSource(source, WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(5)), "victoriametrics");
 * }</pre>
 */
public final class VictoriaMetricsSource
        implements Source<Sample, QuerySplit, QueryEnumeratorState>, ResultTypeQueryable<Sample> {

    private static final long serialVersionUID = 1L;

    private final VictoriaMetricsSourceConfig config;

    private VictoriaMetricsSource(VictoriaMetricsSourceConfig config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The validated settings. */
    public VictoriaMetricsSourceConfig config() {
        return config;
    }

    @Override
    public Boundedness getBoundedness() {
        return config.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<Sample, QuerySplit> createReader(SourceReaderContext readerContext) {
        return new VictoriaMetricsSourceReader(config, readerContext);
    }

    @Override
    public SplitEnumerator<QuerySplit, QueryEnumeratorState> createEnumerator(
            SplitEnumeratorContext<QuerySplit> enumContext) {
        return new QuerySplitEnumerator(enumContext, config, new QueryEnumeratorState(Set.of(), List.of()),
                System.currentTimeMillis());
    }

    @Override
    public SplitEnumerator<QuerySplit, QueryEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<QuerySplit> enumContext, QueryEnumeratorState checkpoint) {
        return new QuerySplitEnumerator(enumContext, config, checkpoint, System.currentTimeMillis());
    }

    @Override
    public SimpleVersionedSerializer<QuerySplit> getSplitSerializer() {
        return new QuerySplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<QueryEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new QueryEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<Sample> getProducedType() {
        return TypeInformation.of(Sample.class);
    }

    @Override
    public String toString() {
        return "VictoriaMetricsSource{" + config + "}";
    }

    /**
     * Settings of a {@link VictoriaMetricsSource}; {@link #build()} validates them and names the offending setting.
     * Defaults: step 15 s, fetch interval = step, lag 30 s, look-back 1 h, no auth, the JVM's trust store,
     * timeout 30 s, connect timeout min(timeout, 10 s), retry backoff 1 s doubling up to 60 s with full jitter,
     * 10,000 points per series per request, unbounded.
     */
    public static final class Builder {

        private String url;
        private final Map<String, String> queries = new LinkedHashMap<>();
        private Duration step = Duration.ofSeconds(15);
        private Duration fetchInterval;
        private Duration lag = Duration.ofSeconds(30);
        private Duration lookBack = Duration.ofHours(1);
        private VictoriaMetricsAuth auth = VictoriaMetricsAuth.none();
        private Path caCertificate;
        private Duration timeout = Duration.ofSeconds(30);
        private Duration connectTimeout;
        private Duration retryBase = Duration.ofSeconds(1);
        private Duration retryMax = Duration.ofSeconds(60);
        private int maxPointsPerRequest = 10_000;
        private int maxSamplesPerRequest = 100_000;
        private Instant until;

        private Builder() {
        }

        /** Base URL of VictoriaMetrics (or vmselect's {@code .../select/0/prometheus}), e.g. {@code http://127.0.0.1:8428}. */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** Adds feature {@code feature} read by the PromQL/MetricsQL {@code query}: one split, one model family. */
        public Builder query(String feature, String query) {
            if (feature == null || feature.isBlank()) {
                throw new IllegalArgumentException("VictoriaMetrics source: query feature name must be non-blank");
            }
            if (query == null || query.isBlank()) {
                throw new IllegalArgumentException("VictoriaMetrics source: query of feature '" + feature
                        + "' must be non-blank");
            }
            if (queries.putIfAbsent(feature.strip(), query.strip()) != null) {
                throw new IllegalArgumentException("VictoriaMetrics source: feature '" + feature
                        + "' is configured twice");
            }
            return this;
        }

        /** Resolution of the range queries: one sample per series per step, on the epoch-aligned grid. */
        public Builder step(Duration step) {
            this.step = step;
            return this;
        }

        /** How often a reader polls; defaults to the step. */
        public Builder fetchInterval(Duration fetchInterval) {
            this.fetchInterval = fetchInterval;
            return this;
        }

        /** How far behind now the source reads, so late samples have arrived (≥ VM's -search.latencyOffset). */
        public Builder lag(Duration lag) {
            this.lag = lag;
            return this;
        }

        /** How much history a fresh start (no checkpoint) reads first; 0 starts at now. */
        public Builder lookBack(Duration lookBack) {
            this.lookBack = lookBack;
            return this;
        }

        public Builder auth(VictoriaMetricsAuth auth) {
            this.auth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /** Trust exactly the CA certificate(s) in this PEM file for an https URL. */
        public Builder tls(Path caCertificatePem) {
            this.caCertificate = caCertificatePem;
            return this;
        }

        /** Time limit of one request, from sending to the whole answer. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Time limit of establishing a connection; defaults to min(timeout, 10 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Backoff between retries while VictoriaMetrics is unavailable: the n-th retry waits a uniformly random time
         * in [0, min(max, base·2^(n-1))]. Retries never end: a VictoriaMetrics outage never fails the job.
         */
        public Builder retries(Duration base, Duration max) {
            this.retryBase = base;
            this.retryMax = max;
            return this;
        }

        /** Cap on points per series in one request; longer ranges (backfill, look-back) are split. */
        public Builder maxPointsPerRequest(int maxPointsPerRequest) {
            this.maxPointsPerRequest = maxPointsPerRequest;
            return this;
        }

        /**
         * Cap on the points of all series in one request (default 100,000, tens of MB while parsed): a query with n
         * series gets at most maxSamplesPerRequest / n points per series per request (and at least 2).
         */
        public Builder maxSamplesPerRequest(int maxSamplesPerRequest) {
            this.maxSamplesPerRequest = maxSamplesPerRequest;
            return this;
        }

        /** Makes the source bounded: it ends after the last grid point at or before {@code until}. */
        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        public VictoriaMetricsSource build() {
            String base = validUrl(url);
            if (queries.isEmpty()) {
                throw new IllegalArgumentException("VictoriaMetrics source: no query configured (query(feature, promql))");
            }
            long stepMs = positiveMs("step", step);
            long fetchMs = fetchInterval == null ? stepMs : positiveMs("fetchInterval", fetchInterval);
            long lagMs = nonNegativeMs("lag", lag);
            long lookBackMs = nonNegativeMs("lookBack", lookBack);
            long timeoutMs = positiveMs("timeout", timeout);
            long connectMs = connectTimeout == null ? Math.min(timeoutMs, 10_000) : positiveMs("connectTimeout",
                    connectTimeout);
            long retryBaseMs = positiveMs("retries base", retryBase);
            long retryMaxMs = positiveMs("retries max", retryMax);
            if (retryMaxMs < retryBaseMs) {
                throw new IllegalArgumentException("VictoriaMetrics source: retries max (" + retryMax
                        + ") must be at least retries base (" + retryBase + ")");
            }
            if (maxPointsPerRequest < 2) {
                throw new IllegalArgumentException("VictoriaMetrics source: maxPointsPerRequest must be at least 2, got "
                        + maxPointsPerRequest);
            }
            if (maxSamplesPerRequest < 2) {
                throw new IllegalArgumentException("VictoriaMetrics source: maxSamplesPerRequest must be at least 2, "
                        + "got " + maxSamplesPerRequest);
            }
            if (caCertificate != null && !base.startsWith("https://")) {
                throw new IllegalArgumentException("VictoriaMetrics source: tls CA certificate " + caCertificate
                        + " given but url " + base + " is not https");
            }
            return new VictoriaMetricsSource(new VictoriaMetricsSourceConfig(base, queries, stepMs, fetchMs, lagMs,
                    lookBackMs, auth, caCertificate == null ? null : caCertificate.toString(), timeoutMs, connectMs,
                    retryBaseMs, retryMaxMs, maxPointsPerRequest, maxSamplesPerRequest,
                    until == null ? null : until.toEpochMilli()));
        }

        private static String validUrl(String url) {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("VictoriaMetrics source: url is required, e.g. http://127.0.0.1:8428");
            }
            URI uri;
            try {
                uri = new URI(url.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("VictoriaMetrics source: url '" + url + "' is not a URL: "
                        + e.getMessage(), e);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("VictoriaMetrics source: url '" + url
                        + "' must be http(s)://host[:port][/path] without query or fragment");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("VictoriaMetrics source: url must not carry credentials; use auth(..)");
            }
            String s = uri.toString();
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            return s;
        }

        private static long positiveMs(String key, Duration d) {
            if (d == null || d.isNegative() || d.isZero() || d.toMillis() <= 0) {
                throw new IllegalArgumentException("VictoriaMetrics source: " + key + " must be at least 1 ms, got " + d);
            }
            return d.toMillis();
        }

        private static long nonNegativeMs(String key, Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("VictoriaMetrics source: " + key + " must be zero or positive, got "
                        + d);
            }
            return d.toMillis();
        }
    }
}
