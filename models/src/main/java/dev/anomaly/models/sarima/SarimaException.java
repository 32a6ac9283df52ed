package dev.anomaly.models.sarima;

/** Raised when a SARIMA model cannot be built, filtered or fitted; the message says what was wrong and what is expected. */
public class SarimaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SarimaException(String message) {
        super(message);
    }

    public SarimaException(String message, Throwable cause) {
        super(message, cause);
    }
}
