package dev.anomaly.models.artifact;

/** A model file that cannot be read or does not hold what was asked for; the message names the file and the fix. */
public class ModelFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
