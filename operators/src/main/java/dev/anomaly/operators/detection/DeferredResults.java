package dev.anomaly.operators.detection;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.hybrid.LstmStepBatch;
import dev.anomaly.models.records.ModelState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The results of one subtask that wait for their series' LSTM step to run in a batch: at most one per series (a
 * series that is processed again first takes its entry out and completes it alone), in arrival order.
 */
final class DeferredResults {

    /** One scored sample whose detector has a pending LSTM step; its forecast and emission wait for the step. */
    record Deferred(String seriesId, SeriesState state, long timestampMs, double value, Detection detection,
                    ModelState modelState) {
    }

    private final int batchSize;
    private final LinkedHashMap<String, Deferred> pending = new LinkedHashMap<>();
    private final LstmStepBatch steps = new LstmStepBatch();
    private int lastBatchedSteps;

    DeferredResults(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Adds a result whose series has no pending result (the caller took it out first). */
    void add(Deferred d) {
        Deferred previous = pending.put(d.seriesId(), d);
        if (previous != null) {
            throw new IllegalStateException("series " + d.seriesId() + " already has a pending result");
        }
        steps.add(d.state().detector);
    }

    /** Removes and returns the pending result of {@code seriesId}, or null; its step is then the caller's. */
    Deferred take(String seriesId) {
        return pending.isEmpty() ? null : pending.remove(seriesId);
    }

    /** Whether {@code seriesId} has a pending result. */
    boolean holds(String seriesId) {
        return pending.containsKey(seriesId);
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    boolean isFull() {
        return pending.size() >= batchSize;
    }

    int size() {
        return pending.size();
    }

    /** Steps the last {@link #drain()} computed in batches (the others had completed alone). */
    int lastBatchedSteps() {
        return lastBatchedSteps;
    }

    /**
     * Runs the pending LSTM steps in batches (one call per model) and returns the results, oldest first, leaving
     * this empty.
     */
    List<Deferred> drain() {
        lastBatchedSteps = steps.run();
        List<Deferred> out = new ArrayList<>(pending.values());
        pending.clear();
        return out;
    }
}
