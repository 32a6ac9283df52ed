package dev.anomaly.job.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;

/**
 * Flink's Prometheus reporter, but listening on one address instead of all interfaces. Flink 2.2.1's
 * {@code PrometheusReporter} has no host option: it starts its HTTP server on {@code new InetSocketAddress(port)},
 * the wildcard address. This reporter keeps Flink's metric conversion ({@link AbstractPrometheusReporter}) and
 * starts the same exporter on {@code host:port}.
 * <p>
 * Flink keeps the reporter's registry in a package-private field, read here by reflection; if a Flink upgrade
 * renames it, the reporter fails at start with a message saying so (and the job configuration can switch back to
 * Flink's reporter with {@code metrics.reporter-host: 0.0.0.0}).
 */
public final class HostBoundPrometheusReporter extends AbstractPrometheusReporter {
    private final HTTPServer server;
    private final String host;
    private final int port;

    HostBoundPrometheusReporter(String host, Iterator<Integer> ports) {
        CollectorRegistry registry = registryOf(this);
        HTTPServer started = null;
        int bound = -1;
        IOException last = null;
        while (ports.hasNext() && started == null) {
            int p = ports.next();
            try {
                started = new HTTPServer(new InetSocketAddress(host, p), registry, true);
                bound = p;
            } catch (IOException e) {
                last = e;
            }
        }
        if (started == null) {
            throw new IllegalStateException("Prometheus reporter: no free port on " + host + " in the configured"
                    + " range" + (last == null ? "" : ": " + last.getMessage()), last);
        }
        this.server = started;
        this.host = host;
        this.port = bound;
        log.info("Started PrometheusReporter HTTP server on {}:{}", host, bound);
    }

    private static CollectorRegistry registryOf(AbstractPrometheusReporter reporter) {
        try {
            Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
            f.setAccessible(true);
            return (CollectorRegistry) f.get(reporter);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Prometheus reporter: this Flink version's AbstractPrometheusReporter has"
                    + " no 'registry' field (" + e + "); set metrics.reporter-host: 0.0.0.0 to use Flink's own"
                    + " reporter (all interfaces)", e);
        }
    }

    /** The address the exporter listens on. */
    public String host() {
        return host;
    }

    /** The port the exporter listens on. */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }
}
