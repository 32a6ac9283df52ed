package dev.anomaly.job.train;

/** Training input that cannot be used (missing path, no series, unknown feature); the message says which. */
public class TrainingInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingInputException(String message) {
        super(message);
    }
}
