package dev.anomaly.sources.victoriametrics;

/**
 * VictoriaMetrics rejected a request in a way retrying cannot fix (HTTP 4xx other than 408/429: a bad query,
 * wrong credentials), or a query was found unusable when validated (HTTP 200: series the detector could not tell
 * apart): the message names the feature and query and carries VictoriaMetrics' own error text or the problem.
 */
public final class VictoriaMetricsQueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    public VictoriaMetricsQueryException(String message, int httpStatus) {
        super(message);
        this.httpStatus = httpStatus;
    }

    /** The HTTP status VictoriaMetrics answered with. */
    public int httpStatus() {
        return httpStatus;
    }
}
