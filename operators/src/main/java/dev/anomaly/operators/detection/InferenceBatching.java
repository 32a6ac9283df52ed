package dev.anomaly.operators.detection;

import java.io.Serializable;

/**
 * How the detection operator batches LSTM inference across the series of a subtask ({@code inference.batch-size},
 * {@code inference.max-delay}). With a batch size above 1, each series' carried LSTM step (the prediction for its
 * next sample) waits, with the sample's result, until {@code batchSize} series have one pending, the oldest has
 * waited {@code maxDelayMs} of processing time, the watermark moves on, a checkpoint barrier is due, or the input
 * ends; then all of them run in one call and the results are emitted. 1 = no batching (each step at once).
 *
 * @param batchSize series steps per batch, 1 to {@value #MAX_BATCH_SIZE}
 * @param maxDelayMs the longest a result may wait for its batch, in ms (at least 1 when batching)
 */
public record InferenceBatching(int batchSize, long maxDelayMs) implements Serializable {
    /** The largest batch accepted. */
    public static final int MAX_BATCH_SIZE = 65_536;
    /** No batching: every step at once (the default). */
    public static final InferenceBatching NONE = new InferenceBatching(1, 0);

    public InferenceBatching {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("inference.batch-size must be in 1.." + MAX_BATCH_SIZE + ", got "
                    + batchSize);
        }
        if (batchSize > 1 && maxDelayMs < 1) {
            throw new IllegalArgumentException("inference.max-delay must be at least 1ms when inference.batch-size > 1,"
                    + " got " + maxDelayMs + "ms");
        }
        if (maxDelayMs < 0) {
            throw new IllegalArgumentException("inference.max-delay must be >= 0, got " + maxDelayMs + "ms");
        }
    }

    /** Whether steps are batched at all. */
    public boolean enabled() {
        return batchSize > 1;
    }
}
