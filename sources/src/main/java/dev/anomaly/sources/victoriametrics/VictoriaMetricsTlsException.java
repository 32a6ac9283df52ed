package dev.anomaly.sources.victoriametrics;

/**
 * The TLS handshake with VictoriaMetrics failed on certificate validation (a CA the source does not trust, an expired
 * certificate, a host name the certificate does not name): retrying cannot fix it, so the job fails at once. The
 * message names the URL and what to configure.
 */
public final class VictoriaMetricsTlsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VictoriaMetricsTlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
