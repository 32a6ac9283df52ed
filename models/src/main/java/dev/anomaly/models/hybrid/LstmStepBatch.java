package dev.anomaly.models.hybrid;

import dev.anomaly.models.lstm.LstmForwardPass;
import dev.anomaly.models.lstm.LstmState;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The pending carried LSTM steps of many detectors ({@link SarimaEeLstm#updateDeferringLstmStep}) computed
 * together: detectors of the same {@link FeatureModel} share one call of {@link LstmForwardPass#stepBatch}. The
 * results equal each detector's own {@link SarimaEeLstm#completeDeferredStep()} bit for bit. Not thread-safe; the
 * scratch arrays are reused across runs.
 */
public final class LstmStepBatch {
    private SarimaEeLstm[] detectors = new SarimaEeLstm[16];
    private int size;
    private LstmState[] states = new LstmState[16];
    private double[] inputs = new double[16];
    private double[] predictions = new double[16];
    private int[] order = new int[16];

    /** Adds {@code detector} if it has a pending step and is not in the batch yet (otherwise ignores it). */
    public void add(SarimaEeLstm detector) {
        if (!detector.hasDeferredStep() || detector.queuedForBatch) {
            return;
        }
        detector.queuedForBatch = true;
        if (size == detectors.length) {
            detectors = Arrays.copyOf(detectors, 2 * size);
        }
        detectors[size++] = detector;
    }

    /** Detectors added since the last {@link #run()}. */
    public int size() {
        return size;
    }

    /**
     * Computes every added detector's pending step, one {@link LstmForwardPass#stepBatch} per model, and empties
     * the batch. A detector whose step was completed in the meantime is skipped. Returns the number of steps run.
     */
    public int run() {
        int done = 0;
        if (size > 0) {
            ensureScratch(size);
            int[] byModel = indicesByModel();
            int from = 0;
            while (from < size) {
                FeatureModel model = detectors[byModel[from]].model();
                int to = from + 1;
                while (to < size && detectors[byModel[to]].model() == model) {
                    to++;
                }
                done += runGroup(byModel, from, to);
                from = to;
            }
        }
        for (int i = 0; i < size; i++) {
            detectors[i].queuedForBatch = false;
            detectors[i] = null;
        }
        size = 0;
        return done;
    }

    /** The detector indices ordered by model (identity; models in order of first appearance), stable within one. */
    private int[] indicesByModel() {
        Map<FeatureModel, Integer> ids = new IdentityHashMap<>();
        int[] groupOf = new int[size];
        for (int i = 0; i < size; i++) {
            Integer id = ids.putIfAbsent(detectors[i].model(), ids.size());
            groupOf[i] = id == null ? ids.size() - 1 : id;
        }
        int[] start = new int[ids.size() + 1];
        for (int g : groupOf) {
            start[g + 1]++;
        }
        for (int g = 0; g < ids.size(); g++) {
            start[g + 1] += start[g];
        }
        int[] sorted = new int[size];
        for (int i = 0; i < size; i++) {
            sorted[start[groupOf[i]]++] = i;
        }
        return sorted;
    }

    private int runGroup(int[] byModel, int from, int to) {
        int count = 0;
        LstmForwardPass network = null;
        for (int k = from; k < to; k++) {
            SarimaEeLstm d = detectors[byModel[k]];
            if (!d.hasDeferredStep()) {
                continue;
            }
            network = network == null ? d.deferredNetwork() : network;
            order[count] = byModel[k];
            states[count] = d.deferredState();
            inputs[count] = d.deferredInput();
            count++;
        }
        if (count == 0) {
            return 0;
        }
        network.stepBatch(states, inputs, count, predictions);
        for (int i = 0; i < count; i++) {
            detectors[order[i]].finishDeferredStep(predictions[i]);
            states[i] = null;
        }
        return count;
    }

    private void ensureScratch(int n) {
        if (states.length < n) {
            int capacity = Math.max(n, 2 * states.length);
            states = new LstmState[capacity];
            inputs = new double[capacity];
            predictions = new double[capacity];
            order = new int[capacity];
        }
    }
}
