package dev.anomaly.sources.victoriametrics;

import org.apache.flink.api.connector.source.SourceSplit;

import java.util.Objects;

/**
 * One configured query: its feature name (the split id), the query text and the progress, {@code lastEndMs}:
 * every sample with a timestamp at or before it has been emitted; the next read covers {@code (lastEndMs, now - lag]}.
 */
public final class QuerySplit implements SourceSplit {

    private final String feature;
    private final String query;
    private final long lastEndMs;

    public QuerySplit(String feature, String query, long lastEndMs) {
        this.feature = Objects.requireNonNull(feature, "feature");
        this.query = Objects.requireNonNull(query, "query");
        this.lastEndMs = lastEndMs;
    }

    @Override
    public String splitId() {
        return feature;
    }

    public String feature() {
        return feature;
    }

    public String query() {
        return query;
    }

    /** Epoch ms: samples at or before this instant have been emitted. */
    public long lastEndMs() {
        return lastEndMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuerySplit other && feature.equals(other.feature) && query.equals(other.query)
                && lastEndMs == other.lastEndMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(feature, query, lastEndMs);
    }

    @Override
    public String toString() {
        return "QuerySplit{feature=" + feature + ", query=" + query + ", lastEndMs=" + lastEndMs + "}";
    }
}
