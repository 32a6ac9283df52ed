package dev.anomaly.sources.host;

import java.util.List;

import dev.anomaly.models.records.Sample;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

/**
 * Polls in the fetcher thread: waits for the next multiple of the interval (wall clock), then collects one sample per
 * series stamped with that boundary. A poll that comes late is stamped with the latest boundary passed.
 */
final class HostMetricsSplitReader implements SplitReader<Sample, HostMetricsSplit> {

    private final HostMetricsCollector collector;
    private final long intervalMs;
    private final Object wakeLock = new Object();
    private boolean wokenUp;
    private HostMetricsSplit split;
    private long nextPollMs = -1;

    HostMetricsSplitReader(HostMetricsCollector collector, long intervalMs) {
        this.collector = collector;
        this.intervalMs = intervalMs;
    }

    @Override
    public RecordsWithSplitIds<Sample> fetch() {
        RecordsBySplits.Builder<Sample> batch = new RecordsBySplits.Builder<>();
        if (split == null) {
            return batch.build();
        }
        long now = System.currentTimeMillis();
        if (nextPollMs < 0) {
            nextPollMs = (now / intervalMs + 1) * intervalMs;
        }
        if (now < nextPollMs) {
            sleepUntil(nextPollMs);
            now = System.currentTimeMillis();
            if (now < nextPollMs) {
                return batch.build(); // woken early: let the fetcher handle its task, then come back
            }
        }
        long ts = now / intervalMs * intervalMs;
        nextPollMs = ts + intervalMs;
        List<Sample> samples = collector.collect(ts, System.nanoTime());
        batch.addAll(split, samples);
        return batch.build();
    }

    private void sleepUntil(long wallMs) {
        synchronized (wakeLock) {
            long wait = wallMs - System.currentTimeMillis();
            while (!wokenUp && wait > 0) {
                try {
                    wakeLock.wait(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                wait = wallMs - System.currentTimeMillis();
            }
            wokenUp = false;
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<HostMetricsSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("host metrics source: unsupported split change " + change);
        }
        for (HostMetricsSplit s : change.splits()) {
            split = s;
        }
    }

    @Override
    public void wakeUp() {
        synchronized (wakeLock) {
            wokenUp = true;
            wakeLock.notifyAll();
        }
    }

    @Override
    public void close() {
    }
}
