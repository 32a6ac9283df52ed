package dev.anomaly.sources.host;

import java.util.List;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Gives the one split to subtask 0 when it registers; every reader is then told there are no more splits, so
 * subtasks other than 0 finish at once (one machine is polled once).
 */
final class HostMetricsEnumerator implements SplitEnumerator<HostMetricsSplit, HostMetricsEnumeratorState> {

    static final int OWNER = 0;

    private final SplitEnumeratorContext<HostMetricsSplit> context;
    private boolean splitPending;

    HostMetricsEnumerator(SplitEnumeratorContext<HostMetricsSplit> context, boolean splitPending) {
        this.context = context;
        this.splitPending = splitPending;
    }

    @Override
    public void start() {
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // The split is pushed on registration; readers never ask.
    }

    @Override
    public void addSplitsBack(List<HostMetricsSplit> splits, int subtaskId) {
        if (!splits.isEmpty()) {
            splitPending = true; // subtask 0 gets it back when its next attempt registers
        }
    }

    @Override
    public void addReader(int subtaskId) {
        if (subtaskId == OWNER && splitPending) {
            context.assignSplit(new HostMetricsSplit(), OWNER);
            splitPending = false;
        }
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public HostMetricsEnumeratorState snapshotState(long checkpointId) {
        return new HostMetricsEnumeratorState(splitPending);
    }

    @Override
    public void close() {
    }
}
