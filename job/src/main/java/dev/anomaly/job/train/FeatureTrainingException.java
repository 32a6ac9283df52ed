package dev.anomaly.job.train;

/** A feature whose series cannot be trained (too few values, a series the estimators reject); names the feature. */
public class FeatureTrainingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String feature;
    private final String reason;

    public FeatureTrainingException(String feature, String reason) {
        super("feature '" + feature + "' cannot be trained: " + reason);
        this.feature = feature;
        this.reason = reason;
    }

    /** The feature that failed. */
    public String feature() {
        return feature;
    }

    /** Why, without the feature name. */
    public String reason() {
        return reason;
    }
}
