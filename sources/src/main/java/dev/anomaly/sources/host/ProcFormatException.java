package dev.anomaly.sources.host;

/** A {@code /proc} file whose content is not in the expected layout; the message names the file and what was found. */
public class ProcFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProcFormatException(String message) {
        super(message);
    }
}
