package dev.anomaly.sources.victoriametrics;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands out one {@link QuerySplit} per configured query, each to a fixed reader ({@code hash(feature) mod
 * parallelism}), as soon as that reader registers. A bounded source tells every reader there are no more
 * splits once its own are assigned. Queries configured after a restore (features never seen, or removed in an
 * earlier restore) get new splits starting at {@code restore time - lookBack}; features no longer configured are
 * dropped from the state.
 */
final class QuerySplitEnumerator implements SplitEnumerator<QuerySplit, QueryEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(QuerySplitEnumerator.class);

    private final SplitEnumeratorContext<QuerySplit> context;
    private final Set<String> assigned;
    private final List<QuerySplit> unassigned;
    /** Readers told there are no more splits (cleared when a reader registers again after a failure). */
    private final Set<Integer> signalled = new LinkedHashSet<>();

    QuerySplitEnumerator(SplitEnumeratorContext<QuerySplit> context, VictoriaMetricsSourceConfig config,
                         QueryEnumeratorState state, long nowMs) {
        this.context = context;
        this.assigned = new LinkedHashSet<>(state.assignedFeatures());
        this.unassigned = new ArrayList<>(state.unassigned());
        // A feature no longer configured is forgotten: its reader ends the restored split, and should the feature
        // come back in a later restore it must get a new split, not be taken for one a reader still owns.
        Set<String> configured = config.queries().keySet();
        for (String gone : assigned.stream().filter(f -> !configured.contains(f)).toList()) {
            LOG.info("VictoriaMetrics source: feature '{}' is no longer configured; its split is forgotten", gone);
        }
        assigned.retainAll(configured);
        unassigned.removeIf(s -> !configured.contains(s.feature()));
        Set<String> known = new LinkedHashSet<>(assigned);
        unassigned.forEach(s -> known.add(s.feature()));
        for (QuerySplit s : initialSplits(config, nowMs)) {
            if (known.add(s.feature())) {
                unassigned.add(s);
            }
        }
    }

    /**
     * The splits of a fresh start: each begins just before {@code now - lookBack}, so the first read includes the
     * grid point at exactly that instant.
     */
    static List<QuerySplit> initialSplits(VictoriaMetricsSourceConfig config, long nowMs) {
        long lastEnd = nowMs - config.lookBackMs() - 1;
        List<QuerySplit> splits = new ArrayList<>();
        for (Map.Entry<String, String> q : config.queries().entrySet()) {
            splits.add(new QuerySplit(q.getKey(), q.getValue(), lastEnd));
        }
        return splits;
    }

    @Override
    public void start() {
        assignPending();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // splits are pushed when readers register
    }

    @Override
    public void addSplitsBack(List<QuerySplit> splits, int subtaskId) {
        signalled.remove(subtaskId);
        for (QuerySplit s : splits) {
            assigned.remove(s.feature());
            unassigned.add(s);
        }
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        signalled.remove(subtaskId);
        assignPending();
    }

    private void assignPending() {
        int parallelism = context.currentParallelism();
        Set<Integer> ready = context.registeredReaders().keySet();
        for (Iterator<QuerySplit> it = unassigned.iterator(); it.hasNext(); ) {
            QuerySplit s = it.next();
            int owner = owner(s.feature(), parallelism);
            if (ready.contains(owner)) {
                LOG.info("VictoriaMetrics source: assigning {} to subtask {}", s, owner);
                context.assignSplit(s, owner);
                assigned.add(s.feature());
                it.remove();
            }
        }
        for (int subtask : ready) {
            boolean stillOwed = unassigned.stream().anyMatch(s -> owner(s.feature(), parallelism) == subtask);
            if (!stillOwed && signalled.add(subtask)) {
                // all of this reader's splits are out; a reader left without splits finishes (and lets a bounded
                // job end); an unbounded reader with splits never finishes them
                context.signalNoMoreSplits(subtask);
            }
        }
    }

    static int owner(String feature, int parallelism) {
        return Math.floorMod(feature.hashCode(), parallelism);
    }

    @Override
    public QueryEnumeratorState snapshotState(long checkpointId) {
        return new QueryEnumeratorState(assigned, unassigned);
    }

    @Override
    public void close() {
    }
}
