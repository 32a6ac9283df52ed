package dev.anomaly.sources.victoriametrics;

import java.io.IOException;

/**
 * VictoriaMetrics could not answer now (connection refused, timeout, HTTP 5xx, 408, 429, a cut-off body):
 * the reader retries with backoff and never fails the job for it.
 */
public final class VictoriaMetricsUnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    public VictoriaMetricsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
