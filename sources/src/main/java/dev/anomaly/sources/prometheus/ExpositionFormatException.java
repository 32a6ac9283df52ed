package dev.anomaly.sources.prometheus;

/** Text that is not valid Prometheus exposition format; the message names the 1-based line and the problem. */
public class ExpositionFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    public ExpositionFormatException(int line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    /** The 1-based line number of the offending line. */
    public int line() {
        return line;
    }
}
