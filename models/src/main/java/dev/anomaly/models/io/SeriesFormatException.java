package dev.anomaly.models.io;

/** A series file that cannot be read as numbers; the message names the file, the line and what was found. */
public class SeriesFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SeriesFormatException(String message) {
        super(message);
    }

    public SeriesFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
