package dev.anomaly.sources.replay;

import dev.anomaly.sources.rejects.MalformedCounters;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts skipped lines by reason in the reader's metric group
 * ({@code anomaly_detector.source.reason=<reason>.malformed}) and logs them, at most one line per interval plus the
 * number suppressed since, so a file full of bad lines cannot flood the log.
 */
final class MalformedLines {

    private static final Logger LOG = LoggerFactory.getLogger(MalformedLines.class);
    static final long LOG_INTERVAL_MS = 10_000L;

    private final MalformedCounters counters;
    private long lastLogMs = Long.MIN_VALUE;
    private long suppressed;

    MalformedLines(MetricGroup readerGroup) {
        this.counters = new MalformedCounters(readerGroup);
    }

    void record(String reason, String detail) {
        counters.of(reason).inc();
        long now = System.currentTimeMillis();
        if (lastLogMs == Long.MIN_VALUE || now - lastLogMs >= LOG_INTERVAL_MS) {
            if (suppressed > 0) {
                LOG.warn("skipped malformed line ({}): {} ({} more skipped lines not logged)", reason, detail,
                        suppressed);
            } else {
                LOG.warn("skipped malformed line ({}): {}", reason, detail);
            }
            lastLogMs = now;
            suppressed = 0;
        } else {
            suppressed++;
        }
    }
}
