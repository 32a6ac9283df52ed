package dev.anomaly.sources.host;

import java.util.function.BiConsumer;

import dev.anomaly.sources.rejects.MalformedCounters;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts unusable {@code /proc} reads by reason in the reader's metric group
 * ({@code anomaly_detector.source.reason=<reason>.malformed}) and logs them at most once per interval.
 */
final class ProcProblems implements BiConsumer<String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcProblems.class);
    static final long LOG_INTERVAL_MS = 60_000L;

    private final MalformedCounters counters;
    private long lastLogMs = Long.MIN_VALUE;
    private long suppressed;

    ProcProblems(MetricGroup readerGroup) {
        this.counters = new MalformedCounters(readerGroup);
    }

    @Override
    public synchronized void accept(String reason, String detail) {
        counters.of(reason).inc();
        long now = System.currentTimeMillis();
        if (lastLogMs == Long.MIN_VALUE || now - lastLogMs >= LOG_INTERVAL_MS) {
            LOG.warn("host metrics: {} ({}){}", detail, reason,
                    suppressed > 0 ? " (" + suppressed + " more problems not logged)" : "");
            lastLogMs = now;
            suppressed = 0;
        } else {
            suppressed++;
        }
    }
}
