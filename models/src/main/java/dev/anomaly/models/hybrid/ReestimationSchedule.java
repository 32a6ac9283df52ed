package dev.anomaly.models.hybrid;

/**
 * When a detector's model is estimated again as its series' history grows: at twice the history length of the
 * previous estimation, as long as that is at most {@code until} values. A model trained on the first 120 values of
 * a series is estimated again at 240, 480, 960, ... values: a model fitted on the little history a new series has
 * (the streaming job's self-training) gets the orders, parameters and seasonal period that a longer history shows,
 * with a number of refits that grows only with the logarithm of the history. Each estimation uses at most the
 * trainer's {@code maxTrainingPoints} most recent values.
 *
 * @param until the longest history an estimation is scheduled for; 0 = never estimate again
 */
public record ReestimationSchedule(int until) implements java.io.Serializable {
    /** No re-estimation. */
    public static final ReestimationSchedule NEVER = new ReestimationSchedule(0);

    public ReestimationSchedule {
        if (until < 0) {
            throw new IllegalArgumentException("re-estimation limit must be >= 0 (0 = never), got " + until);
        }
    }

    /** The history length of the estimation after one on {@code trainedOn} values, or 0 when none follows. */
    public int after(int trainedOn) {
        long next = 2L * Math.max(1, trainedOn);
        return until > 0 && next <= until ? (int) next : 0;
    }

    /** Whether any re-estimation is scheduled at all. */
    public boolean enabled() {
        return until > 0;
    }
}
