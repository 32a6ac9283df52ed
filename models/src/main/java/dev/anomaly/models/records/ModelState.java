package dev.anomaly.models.records;

/** Which model scored a sample. */
public enum ModelState {
    /** No model yet: the series is collecting its warm-up history (self-training) and is not scored. */
    WARMING_UP,
    /** Scored by a model trained on this series' own warm-up history inside the job. */
    SELF_TRAINED,
    /** Scored by the feature's model from MODEL_PATH ({@code bin/anomaly train}). */
    TRAINED
}
