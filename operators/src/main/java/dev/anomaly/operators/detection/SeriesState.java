package dev.anomaly.operators.detection;

import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.SarimaEeLstm;
import dev.anomaly.models.records.ModelState;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the detection operator keeps for one series, in Flink keyed state: the last processed timestamp,
 * the reorder buffer of samples waiting for the watermark, the warm-up history, the model stage, the
 * self-trained model (model-file bytes) and the detector's state (filter, SEQ_LEN window, calibration).
 *
 * <p>The live detector is kept as an object between samples (heap state backend: no serialisation per sample);
 * {@link SeriesStateSerializer} turns it into bytes only for checkpoints and copies.
 */
public final class SeriesState {
    static final long NONE = Long.MIN_VALUE;

    String feature;
    String metric;
    Map<String, String> labels = Map.of();
    long lastTimestampMs = NONE;
    /** History size at which the next self-training is tried (after a failed one: later). */
    int nextTrainingAt;
    final TreeMap<Long, Double> pending = new TreeMap<>();
    double[] history = new double[0];
    int historySize;
    ModelState stage = ModelState.WARMING_UP;
    /** True once the self-trained model is the full mode (not the early SARIMA one). */
    boolean fullyTrained;
    /**
     * True while the self-trained model fits the history it was trained on exactly (a series constant so far): its
     * first departure from the pattern starts the series' self-training again ({@code SelfTraining#fitsExactly}).
     */
    boolean exactFit;
    byte[] selfTrainedModel;
    byte[] detectorState;
    /** Processing time (ms) at which the last sample of this series arrived; {@link #NONE} before format 2. */
    long lastSeenMs = NONE;
    /** Processing time (ms) of the registered expiry timer, {@link #NONE} when none is registered. */
    long expiryTimerMs = NONE;

    /** Decoded form of {@link #selfTrainedModel} or the file model; immutable, shared by copies. */
    transient FeatureModel model;
    /** The live detector; when non-null it is newer than {@link #detectorState}. */
    transient SarimaEeLstm detector;

    /** Appends to the warm-up history (growing it by half when full: it may be kept for thousands of samples). */
    void remember(double value) {
        if (historySize == history.length) {
            history = Arrays.copyOf(history, Math.max(16, history.length + history.length / 2));
        }
        history[historySize++] = value;
    }

    /** Makes room for a history of {@code size} values, so that it grows to that length without a larger copy. */
    void reserveHistory(int size) {
        if (size > history.length) {
            history = Arrays.copyOf(history, size);
        }
    }

    /** The warm-up history collected so far. */
    double[] history() {
        return Arrays.copyOf(history, historySize);
    }

    /** Drops the warm-up history once it is no longer needed. */
    void forgetHistory() {
        history = new double[0];
        historySize = 0;
    }

    /** The detector's state as bytes (the live detector's if there is one). */
    byte[] detectorBytes() {
        if (detector != null) {
            detectorState = detector.snapshotState();
        }
        return detectorState;
    }

    /** The pending samples in timestamp order. */
    Map<Long, Double> pending() {
        return pending;
    }

    @Override
    public String toString() {
        return "SeriesState[last=" + lastTimestampMs + ", pending=" + pending.size() + ", history=" + historySize
                + ", stage=" + stage + ", fullyTrained=" + fullyTrained + ", exactFit=" + exactFit + ", lastSeen=" + lastSeenMs + "]";
    }
}
