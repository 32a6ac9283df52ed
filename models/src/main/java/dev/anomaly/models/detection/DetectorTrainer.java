package dev.anomaly.models.detection;

/** Builds an {@link OnlineDetector} from a series' history (e.g. NAB's probationary period or SMD's training half). */
@FunctionalInterface
public interface DetectorTrainer {

    /** Trains on {@code history} (NaN = missing) and returns a detector positioned right after it. */
    OnlineDetector train(double[] history);
}
