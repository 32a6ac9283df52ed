package dev.anomaly.sources.victoriametrics;

/** The mutable progress of a {@link QuerySplit} inside the reader: advanced by {@link SampleGroupEmitter}. */
final class QuerySplitState {

    private final QuerySplit split;
    private long lastEndMs;

    QuerySplitState(QuerySplit split) {
        this.split = split;
        this.lastEndMs = split.lastEndMs();
    }

    long lastEndMs() {
        return lastEndMs;
    }

    void lastEndMs(long lastEndMs) {
        this.lastEndMs = lastEndMs;
    }

    QuerySplit toSplit() {
        return new QuerySplit(split.feature(), split.query(), lastEndMs);
    }
}
