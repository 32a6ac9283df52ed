package dev.anomaly.job.evaluate;

/** An evaluation input that cannot be used (missing directory or file, a file without labels, ...); names it. */
public class EvaluationInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EvaluationInputException(String message) {
        super(message);
    }

    public EvaluationInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
