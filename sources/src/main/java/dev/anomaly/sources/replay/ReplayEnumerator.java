package dev.anomaly.sources.replay;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands every file to one reader, fixed by the file's index modulo the parallelism, as soon as that reader registers,
 * then tells it there are no more. Files are assigned up front (not on request) so that a paced replay plays all of a
 * reader's files side by side; splits returned after a failure go back to the same subtask when it registers again.
 */
final class ReplayEnumerator implements SplitEnumerator<ReplayFileSplit, ReplayEnumeratorState> {

    private final SplitEnumeratorContext<ReplayFileSplit> context;
    private final List<ReplayFileSplit> pending;

    ReplayEnumerator(SplitEnumeratorContext<ReplayFileSplit> context, List<ReplayFileSplit> pending) {
        this.context = context;
        this.pending = new ArrayList<>(pending);
    }

    @Override
    public void start() {
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed on registration; readers never ask.
    }

    @Override
    public void addSplitsBack(List<ReplayFileSplit> splits, int subtaskId) {
        pending.addAll(splits);
        pending.sort((a, b) -> Integer.compare(a.index(), b.index()));
        // The failed subtask gets them back when its next attempt registers (addReader).
    }

    @Override
    public void addReader(int subtaskId) {
        assignTo(subtaskId);
    }

    private void assignTo(int subtaskId) {
        int parallelism = context.currentParallelism();
        for (Iterator<ReplayFileSplit> it = pending.iterator(); it.hasNext(); ) {
            ReplayFileSplit split = it.next();
            if (split.index() % parallelism == subtaskId) {
                context.assignSplit(split, subtaskId);
                it.remove();
            }
        }
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public ReplayEnumeratorState snapshotState(long checkpointId) {
        return new ReplayEnumeratorState(pending);
    }

    @Override
    public void close() {
    }
}
