package dev.anomaly.sources.rejects;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * What a source rejects, counted by reason under the one name every source uses:
 * {@code anomaly_detector.source.reason=<reason>.malformed} in the reader's (or parser's) operator group, which
 * Prometheus stores as {@code anomaly_detector_source_malformed{reason}}, the series the MalformedRateHigh alert and
 * the dashboard read. Not thread-safe: callers that count from several threads synchronise.
 */
public final class MalformedCounters {
    private final MetricGroup sourceGroup;
    private final Map<String, Counter> byReason = new HashMap<>();

    /** Counters under {@code operatorGroup} → {@code anomaly_detector} → {@code source}. */
    public MalformedCounters(MetricGroup operatorGroup) {
        this.sourceGroup = operatorGroup.addGroup("anomaly_detector").addGroup("source");
    }

    /** The counter of {@code reason}, registered on first use. */
    public Counter of(String reason) {
        return byReason.computeIfAbsent(reason, r -> sourceGroup.addGroup("reason", r).counter("malformed"));
    }
}
