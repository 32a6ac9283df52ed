package dev.anomaly.models.detection;

/** Builds an {@link OnlineDetector} from a series' history (e.g. NAB's probationary period or SMD's training half). */
@FunctionalInterface
public interface DetectorTrainer {

    /** Trains on {@code history} (NaN = missing) and returns a detector positioned right after it. */
    OnlineDetector train(double[] history);

    /**
     * The fewest finite values {@link #train} accepts in a history; 0 where any history, even an empty one, will
     * do. A caller with a shorter history can wait for more rows instead of failing.
     */
    default int minimumFiniteValues() {
        return 0;
    }

    /**
     * Trains once on {@code history} and returns two detectors of that training: one positioned right after the
     * history (to score what follows) and one positioned at its start (to score the history itself, in-sample).
     * The default trains twice; trainers whose training is expensive override it.
     */
    default InSamplePair trainWithInSample(double[] history) {
        return new InSamplePair(train(history), train(new double[0]));
    }

    /** The two detectors of {@link #trainWithInSample}. */
    record InSamplePair(OnlineDetector afterHistory, OnlineDetector atStart) {
    }
}
